import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../wait';
import { NODE_RED_VERSION, startNodeRed, type NodeRedProcess } from '.';

describe('test harness: a real Node-RED process (test/helpers/node-red)', function () {
  this.timeout(120_000);
  let nr: NodeRedProcess;

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
    const res = await fetch(`${nr.url}nodes`, { headers: { authorization: `Bearer ${await nr.token('admin')}`, accept: 'application/json' } });
    assert.equal(res.status, 200);
    const modules = (await res.json()) as { module: string; types: string[]; enabled: boolean; err?: string }[];
    const ours = modules.filter((m) => m.module === '@nr-vault/node-red-vault');
    assert.deepEqual(ours.flatMap((m) => m.types).sort(), ['vault', 'vault-get-item', 'vault-send-mail', 'vault-twilio']);
    for (const m of ours) assert.equal(m.err, undefined, `${m.types}: ${m.err}`);
    assert.doesNotMatch(nr.log, /Waiting for missing types/);
    await nr.waitForLog(/Started flows/);
  });

  it('enforces adminAuth: no token is 401, a token from POST /auth/token is accepted', async () => {
    // GET vault/runtime is public (identity is checked before credentials): vault/vaults is not.
    assert.equal((await nr.call()('GET', 'vault/vaults')).status, 401);
    const res = await nr.call(await nr.token('reader'))('GET', 'vault/vaults');
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.body));
    await assert.rejects(nr.token({ username: 'admin', password: 'wrong', permissions: '*' }), /401|403/);
  });

  it('opens an authenticated /comms websocket that receives events', async () => {
    const token = await nr.token('admin');
    const comms = await nr.openComms(token);
    const client = nr.client(token);
    const vault = await client.createVault('Comms');
    const changed = await comms.waitFor((m) => m.topic === 'vault/changed' && (m.data as { vault: string }).vault === vault.id);
    assert.deepEqual(changed.data, { vault: vault.id });
  });

  it('stop() ends the process and removes the temp user directory', async () => {
    const other = await startNodeRed({ install: 'none', logLevel: 'warn' });
    const pid = other.pid!;
    assert.equal((await fetch(`${other.url}auth/login`)).status, 200);
    await other.stop();
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    assert.equal(existsSync(other.userDir), false);
  });

  it('runs the Node-RED that NR_VAULT_NODE_RED selects (default: the devDependency)', async () => {
    const res = await fetch(`${nr.url}settings`, { headers: { authorization: `Bearer ${await nr.token('admin')}` } });
    // A Node-RED not installed from a release tarball says e.g. "4.1.15-git".
    assert.equal(((await res.json()) as { version: string }).version.replace(/-git$/, ''), NODE_RED_VERSION);
    if (process.env.NR_VAULT_NODE_RED) assert.match(readFileSync(join(process.env.NR_VAULT_NODE_RED, 'package.json'), 'utf8'), new RegExp(`"version": "${NODE_RED_VERSION}"`));
  });

  it('restart() starts again on the same user directory and port, with new settings', async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-restart-'));
    let first: NodeRedProcess | undefined = await startNodeRed({ userDir, vault: { runtimeName: 'before' }, logLevel: 'warn' });
    try {
      const before = (await first.call()('GET', 'vault/runtime')).body as { id: string; name: string };
      const second = await first.restart({ vault: { runtimeName: 'after' } });
      const oldPid = first.pid!;
      first = second;
      assert.throws(() => process.kill(oldPid, 0), /ESRCH/);
      assert.equal(second.url, nr.url.replace(/:\d+\/$/, `:${second.port}/`));
      const after = (await second.call()('GET', 'vault/runtime')).body as { id: string; name: string };
      assert.deepEqual([after.id, after.name], [before.id, 'after'], 'same runtime key (same user directory), new settings');
    } finally {
      await first?.stop();
      rmSync(userDir, { recursive: true, force: true });
    }
  });

  it('a test process killed outright (SIGKILL, no exit handler) leaves no Node-RED behind', async () => {
    // A stand-in for mocha: starts Node-RED through the harness, prints its pid, waits.
    const index = require.resolve('.');
    const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-orphan-'));
    const script = `require(${JSON.stringify(index)}).startNodeRed({ install: 'none', logLevel: 'warn', userDir: ${JSON.stringify(userDir)} }).then((nr) => console.log('pid ' + nr.pid), (e) => { console.error(e); process.exit(1); });`;
    const stand = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    stand.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => stand.once('exit', r));
    try {
      await waitFor('Node-RED started by the stand-in', () => /pid \d+/.test(out), 60_000, 50);
      const pid = Number(/pid (\d+)/.exec(out)![1]);
      assert.doesNotThrow(() => process.kill(pid, 0), 'Node-RED runs');
      stand.kill('SIGKILL');
      await exited;
      const gone = (): boolean => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      };
      await waitFor(`Node-RED (pid ${pid}) to exit after its test process was killed`, gone, 10_000, 50);
    } finally {
      stand.kill('SIGKILL');
      rmSync(userDir, { recursive: true, force: true });
    }
  });

  it('embedded: Node-RED in the calling process, its flows started and the vault API up when it resolves', async () => {
    // Node-RED is a singleton per process and this one has node-red-node-test-helper's: use a child.
    const index = require.resolve('.');
    const script = [
      `const { startNodeRed } = require(${JSON.stringify(index)});`,
      "startNodeRed({ embedded: true, flows: [{ id: 't1', type: 'tab' }, { id: 'c1', type: 'change', z: 't1', rules: [], wires: [] }] })",
      "  .then(async (nr) => { const rt = await nr.client().call('GET', 'vault/runtime'); console.log(JSON.stringify({ status: rt.status, node: typeof nr.node('c1').receive })); await nr.stop(); })",
      "  .catch((e) => { console.error(e); process.exit(1); });",
    ].join('\n');
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, err);
    assert.deepEqual(JSON.parse(out.trim().split('\n').at(-1) ?? ''), { status: 200, node: 'function' });
  });
});
