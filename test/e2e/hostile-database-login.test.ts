import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { newId, sealField, sodiumReady, toB64, deriveVaultKeyPair, newShare, newVsk } from '../../credentials';
import { HostileLogin, hostilePayloads } from '../helpers/hostile-login';
import { PG_URL, sharedSchema, sql } from '../helpers/postgres';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

async function read(nr: NodeRedProcess): Promise<{ status: number; text: string }> {
  const res = await fetch(`${nr.url}read`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text() };
}

/**
 * Issue 11, High 1 and Medium 6, on a real Node-RED process with its vault on a real PostgreSQL:
 * a database login with no privilege NOTIFYs garbage on the vault's channel (on 0.1.0 the first
 * `null` stopped Node-RED), and a store writer swaps the vault's public key while it is unlocked.
 */
describe('a hostile database login and a swapped vault key (real Node-RED, PostgreSQL)', function () {
  this.timeout(180_000);
  const shared = sharedSchema();
  const username = `user-${randomBytes(6).toString('hex')}`;
  let nr: NodeRedProcess;
  let hostile: HostileLogin;
  let vault: TestVault;
  let itemId = '';

  before(async () => {
    await sodiumReady();
    nr = await startNodeRed({ vault: { runtimeName: 'A', store: { type: 'postgres', connectionString: PG_URL, schema: shared.schema } } });
    const client = nr.client();
    vault = await client.createVault('Shared vault');
    itemId = newId();
    const put = await client.putItem(vault, { id: itemId, name: 'Login', type: 'login', plain: { username }, secret: { password: 'pw-canary' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await client.unlock(vault)).status, 200);
    await nr.deployFlows([
      { id: 'tab1', type: 'tab', label: 'read' },
      { id: 'vault1', type: 'vault', name: 'Shared vault', vaultId: vault.id },
      { id: 'in1', type: 'http in', z: 'tab1', url: '/read', method: 'get', wires: [['get1']] },
      { id: 'get1', type: 'vault-get-item', z: 'tab1', vault: 'vault1', item: itemId, mode: 'field', field: 'username', property: 'payload', onLocked: 'fail', wires: [['res1']] },
      { id: 'res1', type: 'http response', z: 'tab1', statusCode: '', wires: [] },
    ]);
    await waitFor('the flow to answer', async () => (await read(nr).catch(() => ({ status: 0, text: '' }))).text === username, 30_000, 100);
    hostile = await HostileLogin.create();
  });

  after(async () => {
    await hostile?.drop();
    await nr?.stop();
    await shared.cleanup().catch(() => undefined);
  });

  it('NOTIFY garbage from a login with no privilege: Node-RED keeps running and serving, and logs it once', async () => {
    assert.equal(await hostile.canRead(shared.schema), false);
    const channel = `${shared.schema}.changes`;
    for (let round = 0; round < 5; round++) for (const p of hostilePayloads()) await hostile.notify(channel, p);
    await hostile.notify(channel, JSON.stringify({ o: 'x', v: vault.id, i: itemId })); // a hint: drops the cache
    await nr.waitForLog(/ignored a malformed notification/, 20_000);
    assert.equal(nr.hasExited, false, nr.log);
    const answer = await read(nr);
    assert.deepEqual(answer, { status: 200, text: username });
    const vaults = await nr.call()('GET', 'vault/vaults');
    assert.equal(vaults.status, 200);
    assert.equal(nr.logLines(/malformed notification/).length, 1, 'reported once, not per notification');
    // A real change by another runtime still arrives and is used without a deploy.
    const other = await shared.open();
    const current = (await other.getItem(vault.id, itemId))!;
    await other.putItem(vault.id, itemId, { name: current.name, type: 'login', plain: { username: `${username}-2` }, secret: {}, ifVersion: current.version });
    await waitFor('the change from another runtime', async () => (await read(nr)).text === `${username}-2`, 20_000, 100);
    assert.ok(!nr.log.includes('pw-canary'));
  });

  it('a public key swapped in the store while unlocked: listed tampered, logged, and new secrets refused', async () => {
    const attacker = deriveVaultKeyPair(newVsk(), newShare(), vault.id);
    await sql(`UPDATE "${shared.schema}".vaults SET public_key = $1 WHERE id = $2`, [toB64(attacker.publicKey), vault.id]);
    const listed = await nr.call()('GET', 'vault/vaults');
    const record = (listed.body as { id: string; tampered?: boolean; publicKey: string }[]).find((v) => v.id === vault.id);
    assert.equal(record?.tampered, true, listed.text);
    await nr.waitForLog(/stored record of vault .* was changed while it is unlocked here/, 10_000);
    // An editor that took the listed key would seal to the attacker: the runtime refuses the write.
    const sealed = sealField(attacker.publicKey, { vault: vault.id, item: itemId, field: 'password', type: 'login', plain: { username } }, 'new-secret');
    const put = await nr.call()('PUT', `vault/vaults/${vault.id}/items/${itemId}`, { name: 'Login', type: 'login', plain: { username }, secret: { password: sealed } });
    assert.equal(put.status, 409, put.text);
    assert.equal(put.body.error.code, 'tampered');
    const stored = await sql<{ secret: Record<string, { ct: string }> }>(`SELECT secret FROM "${shared.schema}".items WHERE id = $1`, [itemId]);
    assert.notEqual(stored[0].secret.password.ct, sealed.ct, 'nothing sealed to the swapped key was stored');
    assert.equal(nr.hasExited, false);
  });
});
