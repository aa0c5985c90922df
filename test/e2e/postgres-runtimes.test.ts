import assert from 'node:assert/strict';
import { newId, sodiumReady } from '../../credentials';
import { PostgresStore } from '../../credentials/store/postgres-store';
import { freePort } from '../helpers/closed-port';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { PG_URL, dropSchema, randomSchema, terminateBackends } from '../helpers/postgres';
import { TcpProxy } from '../helpers/tcp-proxy';
import { VaultTestClient, fetchCall, type TestVault } from '../helpers/vault-client';
import { sleep, waitFor } from '../helpers/wait';

/** GET /read runs Get Item on one field; a failure goes through a Catch node as a 503 with its message. */
function readFlow(vaultId: string, itemId: string): unknown[] {
  const z = 'tab1';
  return [
    { id: z, type: 'tab', label: 'read' },
    { id: 'cfg', type: 'vault', name: 'Shared', vaultId },
    { id: 'in', type: 'http in', z, x: 100, y: 100, url: '/read', method: 'get', wires: [['get']] },
    { id: 'get', type: 'vault-get-item', z, x: 200, y: 100, vault: 'cfg', item: itemId, mode: 'field', field: 'password', property: 'payload', onLocked: 'fail', wires: [['out']] },
    { id: 'out', type: 'http response', z, x: 300, y: 100, statusCode: '', wires: [] },
    { id: 'catch', type: 'catch', z, x: 400, y: 100, scope: ['get'], uncaught: false, wires: [['fail']] },
    { id: 'fail', type: 'function', z, x: 500, y: 100, func: 'msg.statusCode = 503; msg.payload = "failed: " + msg.error.message; return msg;', outputs: 1, wires: [['out']] },
  ];
}

async function read(rt: NodeRedProcess): Promise<{ status: number; text: string }> {
  const res = await fetch(`${rt.url}read`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text() };
}

describe('two Node-RED processes on one PostgreSQL store', function () {
  this.timeout(90_000);
  const schema = randomSchema();
  let vaultId: string;
  let itemId: string;
  const proxy = new TcpProxy();
  let a: NodeRedProcess;
  let b: NodeRedProcess;
  let apiA: VaultTestClient;
  let apiB: VaultTestClient;
  let vault: TestVault;
  // Short timeouts so that the outage tests take seconds; B reaches PostgreSQL through the proxy.
  const tuning = { connectTimeoutMs: 1_000, statementTimeoutMs: 2_000, listenerPingMs: 500, reconnectMaxMs: 300 };

  before(async () => {
    await sodiumReady();
    vaultId = newId();
    itemId = newId();
    await proxy.up();
    // Each registers the URL of its admin API (vault.adminUrl), so its port is chosen first.
    const start = async (runtimeName: string, connectionString: string): Promise<NodeRedProcess> => {
      const port = await freePort();
      const vault = { runtimeName, adminUrl: `http://127.0.0.1:${port}/`, store: { type: 'postgres', connectionString, schema, ...tuning } };
      return startNodeRed({ port, vault, flows: readFlow(vaultId, itemId), logLevel: 'warn' });
    };
    [a, b] = await Promise.all([start('A', PG_URL), start('B', proxy.url)]);
    apiA = new VaultTestClient(fetchCall(a.url));
    apiB = new VaultTestClient(fetchCall(b.url));
    vault = await apiA.createVault('Shared', vaultId);
    const put = await apiA.putItem(vault, { id: itemId, name: 'DB', type: 'database', plain: { host: 'db', username: 'app' }, secret: { password: 'pw-1' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    // B learns of the new vault without a deploy, then both are unlocked.
    await waitFor('B to see the vault', async () => (await apiB.call('GET', 'vault/vaults')).body?.length === 1, 2_000);
    for (const api of [apiA, apiB]) {
      const res = await api.unlock(vault);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await proxy.down();
    await dropSchema(schema);
  });

  it('both runtimes are in the registry with the fingerprints they publish', async () => {
    const store = new PostgresStore({ connectionString: PG_URL, schema });
    await store.open();
    try {
      const listed = await store.listRuntimes();
      for (const [rt, api] of [[a, apiA], [b, apiB]] as const) {
        const info = await api.runtimeInfo();
        const entry = listed.find((r) => r.id === info.id);
        assert.ok(entry, `${rt.url} is registered`);
        assert.equal(entry.fingerprint, info.fingerprint);
        assert.equal(entry.publicKey, info.publicKey);
        assert.equal(entry.adminUrl, rt.url);
      }
    } finally {
      await store.close();
    }
  });

  it('a write through A is read by a flow on B within a second, without a deploy', async () => {
    assert.deepEqual(await read(b), { status: 200, text: 'pw-1' }); // now cached on B
    const put = await apiA.putItem(vault, { id: itemId, name: 'DB', type: 'database', plain: { host: 'db', username: 'app' }, secret: { password: 'pw-2' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const written = Date.now();
    await waitFor('B\'s flow to read the new value', async () => (await read(b)).text === 'pw-2', 1_000, 20);
    assert.ok(Date.now() - written < 1_000);
  });

  it('two concurrent conflicting writes through A and B give one `conflict`', async () => {
    const version = (await apiA.call('GET', `vault/vaults/${vaultId}/items`)).body[0].version as number;
    const item = (password: string) => ({ id: itemId, name: 'DB', type: 'database', plain: { host: 'db', username: 'app' }, secret: { password }, ifVersion: version });
    const results = await Promise.all([apiA.putItem(vault, item('pw-A')), apiB.putItem(vault, item('pw-B'))]);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409], results.map((r) => JSON.stringify(r.body)).join(' | '));
    assert.equal(results.find((r) => r.status === 409)?.body?.error?.code, 'conflict');
    const winner = results[0].status === 200 ? 'pw-A' : 'pw-B';
    await waitFor('both flows to read the winner', async () => (await read(a)).text === winner && (await read(b)).text === winner, 2_000, 20);
  });

  it('PostgreSQL unreachable from B: its flow fails with store_unavailable, then recovers by itself and reads what A wrote meanwhile', async () => {
    await proxy.down();
    await waitFor('B\'s flow to fail', async () => (await read(b)).status === 503, 3_000, 50);
    const failed = await read(b);
    assert.match(failed.text, /^failed: VaultError: The vault store \(PostgreSQL at 127\.0\.0\.1:\d+\/test\) is unavailable: /);
    assert.doesNotMatch(failed.text, /pw-/);
    const put = await apiA.putItem(vault, { id: itemId, name: 'DB', type: 'database', plain: { host: 'db', username: 'app' }, secret: { password: 'pw-while-away' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await proxy.up();
    await waitFor('B\'s flow to recover', async () => (await read(b)).text === 'pw-while-away', 5_000, 50);
    // And B hears writes again.
    await apiA.putItem(vault, { id: itemId, name: 'DB', type: 'database', plain: { host: 'db', username: 'app' }, secret: { password: 'pw-back' } });
    await waitFor('B to hear a write after the outage', async () => (await read(b)).text === 'pw-back', 1_000, 20);
  });

  it('backends killed during running flows: only store_unavailable meanwhile, recovery, no acknowledged write lost', async () => {
    let stop = false;
    const readFailures: string[] = [];
    let reads = 0;
    const reader = async (rt: NodeRedProcess) => {
      while (!stop) {
        const r = await read(rt);
        reads++;
        if (r.status !== 200) readFailures.push(r.text);
        else assert.match(r.text, /^pw-/);
      }
    };
    let lastAcked = -1;
    let lastTried = -1;
    const writeFailures: string[] = [];
    const writer = async () => {
      for (let n = 0; !stop; n++) {
        lastTried = n;
        const r = await apiA.putItem(vault, { id: itemId, name: 'DB', type: 'database', plain: { host: 'db', username: 'app' }, secret: { password: `pw-k${n}` } });
        if (r.status === 200) lastAcked = n;
        else writeFailures.push(`${r.status} ${JSON.stringify(r.body)}`);
      }
    };
    const running = [reader(a), reader(b), writer()];
    let killed = 0;
    for (let k = 0; k < 5; k++) {
      await sleep(150);
      killed += await terminateBackends(schema);
    }
    await sleep(300);
    stop = true;
    await Promise.all(running);
    assert.ok(killed >= 10, `killed ${killed} backends of both runtimes`);
    assert.ok(reads > 20, `${reads} reads`);
    for (const f of readFailures) assert.match(f, /^failed: VaultError: The vault store \(PostgreSQL at .*\) is unavailable: /);
    for (const f of writeFailures) assert.match(f, /^503 .*"code":"store_unavailable"/);
    assert.ok(lastAcked >= 0, 'writes went through');
    // Nothing acknowledged is lost: once recovered (and the last change has propagated), both
    // flows read the last acknowledged write, or a later one whose answer was cut off.
    for (const rt of [a, b]) {
      let value = '';
      await waitFor(`${rt.url} to read pw-k${lastAcked} or later`, async () => {
        const r = await read(rt);
        value = r.text;
        return r.status === 200 && Number(/^pw-k(\d+)$/.exec(value)?.[1] ?? NaN) >= lastAcked;
      }, 2_000, 20);
      const n = Number(/^pw-k(\d+)$/.exec(value)?.[1]);
      assert.ok(n <= lastTried, `read ${value}; last tried pw-k${lastTried}`);
    }
  });
});
