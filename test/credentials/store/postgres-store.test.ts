import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { VaultError, createStore, readRuntimeRegistry, type ItemWrite, type StoreChange } from '../../../credentials';
import { freePort } from '../../helpers/closed-port';
import { PostgresStore } from '../../../credentials/store/postgres-store';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../credentials/store/postgres-migrations';
import { PG_URL, dropSchema, randomSchema, sharedSchema, sql } from '../../helpers/postgres';
import { sleep, timed, waitFor } from '../../helpers/wait';
import { storeContract, vaultRecord } from './contract';

const isCode = (code: string) => (e: unknown): boolean => e instanceof VaultError && e.code === code;
const sealed = (tag: string) => ({ wrapped: `w-${tag}`, nonce: `n-${tag}`, ct: `c-${tag}` });
const write = (extra: Partial<ItemWrite> = {}): ItemWrite => ({
  name: 'Mail', type: 'smtp', plain: { host: 'mail.example', from: 'a@example' }, secret: { password: sealed('1') }, ...extra,
});

storeContract('postgres store', async () => {
  const schema = randomSchema();
  const store = new PostgresStore({ connectionString: PG_URL, schema });
  return { store, cleanup: async () => { await store.close(); await dropSchema(schema); } };
});

describe('postgres store: configuration and schema', () => {
  it('needs a connection string and a plain schema name, with a clear error', () => {
    assert.throws(() => new PostgresStore({}), (e: unknown) => isCode('bad_request')(e) && /NR_VAULT_PG/.test((e as Error).message));
    assert.throws(() => new PostgresStore({ connectionString: PG_URL, schema: 'x"; drop' }), (e: unknown) =>
      isCode('bad_request')(e) && /schema "x\\"; drop" is not allowed/.test((e as Error).message));
  });

  it('is made by createStore only when configured, and pg is not loaded otherwise', async () => {
    const schema = randomSchema();
    const store = await createStore({ type: 'postgres', connectionString: PG_URL, schema }, '/nonexistent');
    try {
      assert.equal(store.kind, 'postgres');
    } finally {
      await store.close();
    }
    const index = join(__dirname, '../../../credentials');
    const script = `const c = require(${JSON.stringify(index)});
      c.createStore(undefined, require('os').tmpdir()).then(() => {
        console.log(Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(k)));
      });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.stdout.trim(), 'false', child.stderr);
  });

  it('migrates once when several runtimes start at the same time', async () => {
    const shared = sharedSchema();
    try {
      await Promise.all(Array.from({ length: 6 }, () => shared.open()));
      const rows = await sql<{ version: number }>(`SELECT version FROM "${shared.schema}".migrations ORDER BY version`);
      assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
    } finally {
      await shared.cleanup();
    }
  });

  it('refuses a schema migrated by a newer release', async () => {
    const shared = sharedSchema();
    try {
      await (await shared.open()).close();
      await sql(`INSERT INTO "${shared.schema}".migrations (version, name) VALUES (99, 'future')`);
      await assert.rejects(shared.open(), (e: unknown) =>
        isCode('store_unavailable')(e) && new RegExp(`at version 99, newer than this runtime knows \\(${SCHEMA_VERSION}\\)`).test((e as Error).message));
    } finally {
      await shared.cleanup();
    }
  });

  it('stores ciphertext exactly as the record gives it, and nothing else of a secret', async () => {
    const shared = sharedSchema();
    try {
      const a = await shared.open();
      await a.createVault(vaultRecord('va'));
      await a.putItem('va', 'i1', write({ secret: { password: sealed('p'), key: sealed('k') } }));
      const rows = await sql<{ secret: unknown; plain: unknown }>(`SELECT plain, secret FROM "${shared.schema}".items`);
      assert.deepEqual(rows, [{ plain: { host: 'mail.example', from: 'a@example' }, secret: { password: sealed('p'), key: sealed('k') } }]);
    } finally {
      await shared.cleanup();
    }
  });
});

describe('postgres store: two runtimes on one schema', () => {
  let shared: ReturnType<typeof sharedSchema>;
  let a: PostgresStore;
  let b: PostgresStore;
  beforeEach(async () => {
    shared = sharedSchema();
    a = await shared.open();
    b = await shared.open();
    // B hears of the new vault too; wait for it so that the tests below hear only their own changes.
    let heard = false;
    const off = b.onChange(() => { heard = true; });
    await a.createVault(vaultRecord('va'));
    await waitFor('B to hear of the new vault', () => heard, 1_000);
    off();
  });
  afterEach(async () => shared.cleanup());

  it('a write through one is heard (remote) and read by the other within a second', async () => {
    const heardByB: StoreChange[] = [];
    const heardByA: StoreChange[] = [];
    b.onChange((c) => heardByB.push(c));
    a.onChange((c) => heardByA.push(c));
    const start = Date.now();
    await a.putItem('va', 'i1', write({ name: 'from A' }));
    await waitFor('B to hear of the write', () => heardByB.length > 0, 1_000, 2);
    const elapsed = Date.now() - start;
    assert.deepEqual(heardByB, [{ vault: 'va', item: 'i1', remote: true }]);
    assert.equal((await b.getItem('va', 'i1'))?.name, 'from A');
    assert.ok(elapsed < 1_000, `heard after ${elapsed} ms`);
    // A write through B reaches A on the same notification channel after A's own first one, so
    // once A has heard it, an echo of A's write would have arrived before.
    await b.putItem('va', 'i2', write({ name: 'from B' }));
    await waitFor('A to hear of B\'s write', () => heardByA.some((c) => c.item === 'i2'), 10_000, 2);
    assert.deepEqual(heardByA, [{ vault: 'va', item: 'i1' }, { vault: 'va', item: 'i2', remote: true }], 'A hears its own write once, as local');
  });

  it('of two conflicting writes from the two runtimes, exactly one is `conflict`, every time', async () => {
    await a.putItem('va', 'i1', write());
    for (let round = 1; round <= 15; round++) {
      const results = await Promise.allSettled([
        a.putItem('va', 'i1', write({ name: `A${round}`, ifVersion: round })),
        b.putItem('va', 'i1', write({ name: `B${round}`, ifVersion: round })),
      ]);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(rejected.length, 1, `round ${round}: ${rejected.map((r) => String(r.reason)).join('; ')}`);
      assert.ok(isCode('conflict')(rejected[0].reason), String(rejected[0].reason));
      assert.equal((await a.getItem('va', 'i1'))?.version, round + 1);
    }
  });

  it('of two first writes of one new item naming version 0, exactly one wins', async () => {
    for (let round = 0; round < 10; round++) {
      const results = await Promise.allSettled([
        a.putItem('va', `n${round}`, write({ name: 'A', ifVersion: 0 })),
        b.putItem('va', `n${round}`, write({ name: 'B', ifVersion: 0 })),
      ]);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(rejected.length, 1);
      assert.ok(isCode('conflict')(rejected[0].reason), String(rejected[0].reason));
    }
    // Without a version, two first writes both apply, one after the other.
    await Promise.all([a.putItem('va', 'both', write()), b.putItem('va', 'both', write())]);
    assert.equal((await a.getItem('va', 'both'))?.version, 2);
  });

  it('withLock excludes holders on both runtimes, and different names do not block', async () => {
    let inside = 0;
    let most = 0;
    const hold = (s: PostgresStore) => s.withLock('refresh:x', async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(15);
      inside--;
    });
    await Promise.all([a, b, a, b, a, b, a, b].map(hold));
    assert.equal(most, 1);

    let release!: () => void;
    const held = a.withLock('refresh:long', () => new Promise<void>((r) => { release = r; }));
    await sleep(50);
    const other = await timed(b.withLock('refresh:other', async () => 'ran'));
    assert.deepEqual(other.result, { status: 'fulfilled', value: 'ran' });
    release();
    await held;
  });

  it('withLock waits at most lockWaitMs for a holder elsewhere, then fails with `timeout`', async () => {
    const impatient = await shared.open({ lockWaitMs: 300 });
    let release!: () => void;
    const held = a.withLock('refresh:x', () => new Promise<void>((r) => { release = r; }));
    await sleep(50);
    const waited = await timed(impatient.withLock('refresh:x', async () => 'ran'));
    release();
    await held;
    assert.equal(waited.result.status, 'rejected');
    assert.ok(waited.result.status === 'rejected' && isCode('timeout')(waited.result.reason), String(waited.result));
    assert.equal((waited.result.reason as Error).message, 'Waited 0.3 s for the lock "refresh:x", held elsewhere; try again.');
    assert.ok(waited.ms < 2_000, `gave up after ${waited.ms} ms`);
    // A holder that throws lets the lock go.
    await assert.rejects(a.withLock('refresh:x', async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await impatient.withLock('refresh:x', async () => 'free'), 'free');
  });

  it('keeps a registry of runtimes that both see, and refreshes lastSeen while open', async () => {
    const beating = await shared.open({ heartbeatMs: 100 });
    await beating.registerRuntime({ id: 'rt1', name: 'edge-1', publicKey: 'cGs', fingerprint: 'ZnA', lastSeen: new Date().toISOString() });
    const first = (await b.listRuntimes())[0];
    assert.equal(first.id, 'rt1');
    await waitFor('lastSeen to move on', async () => (await b.listRuntimes())[0].lastSeen > first.lastSeen, 2_000, 50);
  });

  it('readRuntimeRegistry (for the CLI) reads the registry without creating anything', async () => {
    await a.registerRuntime({ id: 'rt1', name: 'edge-1', publicKey: 'cGs', fingerprint: 'ZnA', adminUrl: 'https://edge-1/', lastSeen: new Date().toISOString() });
    assert.deepEqual(await readRuntimeRegistry({ connectionString: PG_URL, schema: shared.schema }), await a.listRuntimes());
    const missing = randomSchema();
    await assert.rejects(readRuntimeRegistry({ connectionString: PG_URL, schema: missing }), (e: unknown) =>
      isCode('not_found')(e) && (e as Error).message === `The PostgreSQL store at 127.0.0.1:5432/test has no vault schema "${missing}": no runtime has used it yet, or it uses another schema.`);
    assert.deepEqual(await sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [missing]), []);
    const port = await freePort();
    await assert.rejects(readRuntimeRegistry({ connectionString: `postgres://postgres@127.0.0.1:${port}/test` }), (e: unknown) =>
      isCode('store_unavailable')(e) && /PostgreSQL at 127\.0\.0\.1:\d+\/test\) is unavailable: the connection was refused/.test((e as Error).message));
  });
});
