import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, VaultError, type ItemWrite, type StoreChange, type VaultStore } from '../../../credentials';
import { HostileLogin, hostilePayloads } from '../../helpers/hostile-login';
import { PostgresStore } from '../../../credentials/store/postgres-store';
import { PG_URL, sharedSchema, sql } from '../../helpers/postgres';
import { sleep, waitFor } from '../../helpers/wait';
import { vaultRecord } from './contract';

const isCode = (code: string) => (e: unknown): boolean => e instanceof VaultError && e.code === code;
const sealed = (tag: string) => ({ v: 2 as const, wrapped: `w-${tag}`, nonce: `n-${tag}`, ct: `c-${tag}` });
const good = (name = 'Good'): ItemWrite => ({ name, type: 'login', plain: { username: 'u' }, secret: { password: sealed(name) } });

/** Stored item contents no writer of nr-vault makes: each must be skipped in a list, `tampered` alone. */
const BAD_ITEMS: Record<string, Record<string, unknown>> = {
  secretNull: { secret: null },
  plainArray: { plain: [] },
  plainNumber: { plain: { username: 5 } },
  sealedWrongTypes: { secret: { password: { wrapped: 1, nonce: null, ct: {} } } },
  unknownFormat: { secret: { password: { ...sealed('x'), v: 3 } } },
  unknownType: { type: 'no-such-type' },
  unknownState: { state: 'hacked' },
  hugeName: { name: 'n'.repeat(5_000) },
  tooManyFields: { plain: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, 'x'])) },
  badFieldName: { plain: { 'bad name': 'x' } },
};

function storedItem(vault: string, id: string, over: Record<string, unknown>): Record<string, unknown> {
  return { id, vault, name: id, type: 'login', plain: { username: 'u' }, secret: { password: sealed(id) }, version: 3, updatedAt: '2026-11-22T10:00:00.000Z', ...over };
}

/** What every store must do with malformed records it reads back (shared by both stores below). */
async function checkMalformedItems(store: VaultStore, warnings: string[]): Promise<void> {
  const list = await store.listItems('va');
  assert.deepEqual(list.map((i) => i.id), ['good'], 'only the well-formed item is listed');
  for (const id of Object.keys(BAD_ITEMS)) {
    await assert.rejects(store.getItem('va', id), (e: unknown) => isCode('tampered')(e) && (e as Error).message.includes(`"${id}"`), id);
  }
  await store.listItems('va'); // listed again: reported once only
  for (const id of Object.keys(BAD_ITEMS)) {
    assert.equal(warnings.filter((w) => w.includes(`item "${id}" of vault "va"`)).length, 1, `${id} reported once: ${warnings.join('\n')}`);
  }
  for (const w of warnings) assert.ok(w.length < 600 && !w.includes('nnnnnnnnnn') && !w.includes('w-'), `a report quotes no content: ${w.slice(0, 200)}`);
  // A write repairs a malformed item; its version keeps counting.
  const repaired = await store.putItem('va', 'secretNull', good('Repaired'));
  assert.equal(repaired.version, 4);
  assert.deepEqual(repaired.secret, { password: sealed('Repaired') });
  assert.deepEqual((await store.listItems('va')).map((i) => i.id).sort(), ['good', 'secretNull']);
  await store.deleteItem('va', 'plainArray');
  assert.equal(await store.getItem('va', 'plainArray'), undefined);
}

describe('store input is untrusted: PostgreSQL', function () {
  this.timeout(30_000);
  let shared: ReturnType<typeof sharedSchema>;
  let hostile: HostileLogin | undefined;
  beforeEach(() => {
    shared = sharedSchema();
  });
  afterEach(async () => {
    await hostile?.drop();
    hostile = undefined;
    await shared.cleanup();
  });

  it('a login with no privilege NOTIFYs garbage on the channel: reported once, skipped, the store keeps serving', async () => {
    const warnings: string[] = [];
    const store = new PostgresStore({ connectionString: PG_URL, schema: shared.schema }, { warn: (m) => warnings.push(m) });
    await store.open();
    try {
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'i1', good());
      const heard: StoreChange[] = [];
      store.onChange((c) => heard.push(c));
      hostile = await HostileLogin.create();
      assert.equal(await hostile.canRead(shared.schema), false, 'the login has no privilege on the store');
      const channel = `${shared.schema}.changes`;
      for (let round = 0; round < 3; round++) for (const p of hostilePayloads()) await hostile.notify(channel, p);
      // A well-formed notification is only a hint: it names ids, caches are dropped, nothing else.
      await hostile.notify(channel, JSON.stringify({ o: 'someone', v: 'va', i: 'i1' }));
      await waitFor('the hint', () => heard.length > 0, 5_000);
      await sleep(100);
      assert.ok(heard.every((c) => c.remote === true && c.vault === 'va' || c.vault === '__proto__' || c.vault === 'ok'), JSON.stringify(heard));
      assert.deepEqual(heard.at(-1), { vault: 'va', item: 'i1', remote: true });
      const reports = warnings.filter((w) => /malformed notification/.test(w));
      assert.equal(reports.length, 1, `reported once, not per notification: ${warnings.join('\n')}`);
      assert.match(reports[0], new RegExp(`channel "${shared.schema}\\.changes"`));
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
      // Still serving: reads, writes, and notifications of other runtimes.
      assert.equal((await store.getItem('va', 'i1'))?.name, 'Good');
      const other = await shared.open();
      heard.length = 0;
      await other.putItem('va', 'i2', good('Other'));
      await waitFor('a real change from another runtime', () => heard.some((c) => c.item === 'i2'), 5_000);
      assert.ok(store.listening);
    } finally {
      await store.close();
    }
  });

  it('a change listener that throws is reported; it stops neither the notification nor a committed write', async () => {
    const warnings: string[] = [];
    const store = new PostgresStore({ connectionString: PG_URL, schema: shared.schema }, { warn: (m) => warnings.push(m) });
    await store.open();
    try {
      await store.createVault(vaultRecord('va'));
      const heard: StoreChange[] = [];
      store.onChange(() => { throw new Error('boom'); });
      store.onChange((c) => heard.push(c));
      const written = await store.putItem('va', 'i1', good());
      assert.equal(written.version, 1);
      const other = await shared.open();
      await other.putItem('va', 'i2', good());
      await waitFor('the remote change, despite the throwing listener', () => heard.some((c) => c.item === 'i2'), 5_000);
      assert.ok(warnings.some((w) => /a change listener failed/.test(w)), warnings.join('\n'));
    } finally {
      await store.close();
    }
  });

  it('rows written by hand: malformed ones are reported once and skipped in lists, tampered alone, repaired by a write', async () => {
    const warnings: string[] = [];
    const store = new PostgresStore({ connectionString: PG_URL, schema: shared.schema }, { warn: (m) => warnings.push(m) });
    await store.open();
    try {
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'good', good());
      const s = `"${shared.schema}"`;
      for (const [id, over] of Object.entries(BAD_ITEMS)) {
        const r = storedItem('va', id, over);
        await sql(`INSERT INTO ${s}.items (id, vault, name, type, plain, secret, version, updated_at, state)
          VALUES ($1, 'va', $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8)`,
        [id, r.name, r.type, JSON.stringify(r.plain), JSON.stringify(r.secret), r.version, r.updatedAt, r.state ?? null]);
      }
      await checkMalformedItems(store, warnings);
      // A malformed vault row and runtime row are left out of their lists too.
      await sql(`INSERT INTO ${s}.vaults (id, name, share, public_key, created_at) VALUES ('bad id!', 'x', 's', 'p', 'now')`);
      assert.deepEqual((await store.listVaults()).map((v) => v.id), ['va']);
      await sql(`INSERT INTO ${s}.runtimes (id, name, public_key, fingerprint, admin_url, last_seen) VALUES ($1, 'x', 'p', 'f', null, now())`, ['__bad id__ \u001b[31m']);
      assert.deepEqual(await store.listRuntimes(), []);
      assert.ok(warnings.some((w) => w.includes('runtime "__bad id__ \\u001b[31m"')), `an id is quoted with escapes: ${warnings.join('\n')}`);
      assert.ok(!warnings.some((w) => w.includes('\u001b')), 'no raw escape sequence in a report');
    } finally {
      await store.close();
    }
  });
});

describe('store input is untrusted: file store', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-untrusted-'));
    file = join(dir, 'nr-vault.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records edited on disk: malformed ones are reported once and skipped in lists, tampered alone, repaired by a write', async () => {
    const items: Record<string, unknown> = { good: storedItem('va', 'good', {}) };
    for (const [id, over] of Object.entries(BAD_ITEMS)) items[id] = storedItem('va', id, over);
    items.moved = storedItem('other-vault', 'moved', {}); // a record stored under another vault than it names
    writeFileSync(file, JSON.stringify({
      format: 1, vaults: { va: vaultRecord('va'), broken: { id: 'broken', name: 7 } }, items: { va: items, broken: 'nonsense' },
      runtimes: { r1: { id: 'r1' } },
    }));
    const warnings: string[] = [];
    const store = new FileStore(file, { warn: (m) => warnings.push(m) });
    await store.open();
    try {
      await checkMalformedItems(store, warnings);
      await assert.rejects(store.getItem('va', 'moved'), isCode('tampered'));
      assert.deepEqual((await store.listVaults()).map((v) => v.id), ['va']);
      await assert.rejects(store.getVault('broken'), isCode('tampered'));
      assert.deepEqual(await store.listRuntimes(), []);
    } finally {
      await store.close();
    }
  });

  it('ids "__proto__", "constructor" and "toString" are ids like any other: no prototype lookups', async () => {
    const store = new FileStore(file);
    await store.open();
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    for (const id of ids) {
      assert.equal(await store.getVault(id), undefined, id);
      await assert.rejects(store.listItems(id), isCode('unknown_vault'), id);
      await assert.rejects(store.putItem(id, 'x', good()), isCode('unknown_vault'), id);
      await assert.rejects(store.deleteItem(id, 'x'), isCode('not_found'), id);
    }
    await store.createVault(vaultRecord('va'));
    for (const id of ids) {
      assert.equal(await store.getItem('va', id), undefined, id);
      await assert.rejects(store.deleteItem('va', id), isCode('not_found'), id);
    }
    for (const id of ids) {
      await store.createVault(vaultRecord(id));
      await store.putItem(id, id, good(id));
      await store.putItem('va', id, good(id));
    }
    await store.close();
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
    const reopened = new FileStore(file);
    await reopened.open();
    try {
      assert.deepEqual((await reopened.listVaults()).map((v) => v.id).sort(), ['va', ...ids].sort());
      for (const id of ids) {
        assert.equal((await reopened.getItem(id, id))?.name, id);
        assert.equal((await reopened.getItem('va', id))?.name, id);
      }
      assert.equal((await reopened.listItems('va')).length, ids.length);
    } finally {
      await reopened.close();
    }
  });

  it('a file that is not a vault store is refused with store_corrupt and left as it is', async () => {
    for (const content of ['[]', '"x"', '{"vaults":[]}', '{"items":5}']) {
      writeFileSync(file, content);
      await assert.rejects(new FileStore(file).open(), isCode('store_corrupt'), content);
      assert.equal(readFileSync(file, 'utf8'), content);
    }
  });
});
