import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startNodeRed, type RealNodeRed } from './real-node-red';

describe('test helper: a real Node-RED process', function () {
  this.timeout(120_000);
  let nr: RealNodeRed;

  before(async () => {
    nr = await startNodeRed({
      users: [
        { username: 'admin', password: 'admin-password', permissions: '*' },
        { username: 'reader', password: 'reader-password', permissions: 'read' },
      ],
      flows: [{ id: 'tab1', type: 'tab', label: 'Flow 1' }, { id: 'v1', type: 'vault', name: 'Production', vaultId: 'prod' }],
    });
  });
  after(async () => {
    await nr?.stop();
  });

  it('listens on a loopback port and registers this package\'s nodes', async () => {
    assert.match(nr.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${nr.url}nodes`, { headers: { authorization: `Bearer ${await nr.token('admin', 'admin-password')}`, accept: 'application/json' } });
    assert.equal(res.status, 200);
    const modules = (await res.json()) as { module: string; types: string[]; enabled: boolean; err?: string }[];
    const ours = modules.filter((m) => m.module === '@nr-vault/node-red-vault');
    assert.deepEqual(ours.flatMap((m) => m.types).sort(), ['vault', 'vault-get-item', 'vault-send-mail', 'vault-twilio']);
    for (const m of ours) assert.equal(m.err, undefined, `${m.types}: ${m.err}`);
    assert.doesNotMatch(nr.log, /Waiting for missing types/);
    await nr.waitForLog(/Started flows/);
  });

  it('enforces adminAuth: no token is 401, a token from POST /auth/token is accepted', async () => {
    assert.equal((await nr.call()('GET', 'vault/runtime')).status, 401);
    const res = await nr.call(await nr.token('reader', 'reader-password'))('GET', 'vault/runtime');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.protocol, 1);
    await assert.rejects(nr.token('admin', 'wrong'), /401|403/);
  });

  it('opens an authenticated /comms websocket that receives events', async () => {
    const token = await nr.token('admin', 'admin-password');
    const comms = await nr.openComms(token);
    const client = nr.client(token);
    const vault = await client.createVault('Comms');
    const changed = await comms.waitFor((m) => m.topic === 'vault/changed' && (m.data as { vault: string }).vault === vault.id);
    assert.deepEqual(changed.data, { vault: vault.id });
  });

  it('stop() ends the process and removes the temp user directory', async () => {
    const other = await startNodeRed({ loadPackage: false, logLevel: 'warn' });
    const pid = other.pid!;
    assert.equal((await fetch(`${other.url}auth/login`)).status, 200);
    await other.stop();
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    assert.equal(existsSync(other.userDir), false);
  });
});
