import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, createStore, sodiumReady, type VaultStore } from '../../../credentials';
import { runCli } from '../../../admin/cli/run-cli';
import { memoryIo } from '../../helpers/memory-io';
import { PG_URL, dropSchema, randomSchema } from '../../helpers/postgres';
import { API_KEY, PASSWORD, fillStore, readBack, type Fixture } from '../../helpers/vault-fixture';

/** Every record of a store, each as the SHA-256 of its JSON with sorted keys (independent of the code under test). */
async function recordHashes(store: VaultStore): Promise<Map<string, string>> {
  const sorted = (v: unknown): unknown => Array.isArray(v) ? v.map(sorted)
    : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  const h = (v: unknown): string => createHash('sha256').update(JSON.stringify(sorted(v))).digest('hex');
  const out = new Map<string, string>();
  for (const v of await store.listVaults()) {
    out.set(`vault ${v.id}`, h(v));
    // version and updatedAt are the store's own counters: a copied item starts at version 1.
    for (const { version: _v, updatedAt: _u, ...i } of await store.listItems(v.id)) out.set(`item ${v.id}/${i.id}`, h(i));
    for (const { approvedAt: _a, ...a } of await store.listApprovals({ vault: v.id })) out.set(`approval ${v.id}/${a.runtime}`, h(a));
  }
  return out;
}

describe('nr-vault migrate', () => {
  let dir: string;
  const schemas: string[] = [];

  const filePath = (name: string): string => join(dir, name);
  async function useFile<T>(path: string, fn: (s: VaultStore) => Promise<T>): Promise<T> {
    const s = new FileStore(path);
    await s.open();
    try { return await fn(s); } finally { await s.close(); }
  }
  async function usePg<T>(schema: string, fn: (s: VaultStore) => Promise<T>): Promise<T> {
    const s = await createStore({ type: 'postgres', connectionString: PG_URL, schema }, dir);
    await s.open();
    try { return await fn(s); } finally { await s.close(); }
  }
  function newSchema(): string {
    const s = randomSchema();
    schemas.push(s);
    return s;
  }
  async function migrate(args: string[]): Promise<{ code: number; out: string }> {
    const io = memoryIo({});
    return { code: await runCli(['migrate', ...args], io), out: io.all() };
  }
  function assertNoCanary(text: string, fixtures: Fixture[]): void {
    for (const s of [PASSWORD, API_KEY, ...fixtures.map((f) => f.vsk)]) assert.ok(!text.includes(s), 'a secret or VSK in clear');
  }

  before(sodiumReady);
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'nr-vault-migrate-')); });
  afterEach(async () => {
    for (const s of schemas.splice(0)) await dropSchema(s).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('file → PostgreSQL → file: every record hashes the same in all three stores, the vaults unlock and read back; a repeat copies nothing', async () => {
    const src = filePath('src.json');
    const fixtures = await useFile(src, async (s) => [await fillStore(s), await fillStore(s)]);
    const schema = newSchema();
    const toPg = await migrate(['--from', `file:${src}`, '--to', PG_URL, '--to-schema', schema]);
    assert.equal(toPg.code, 0, toPg.out);
    assert.match(toPg.out, /migrate: 2 vaults; 8 records verified/);
    assertNoCanary(toPg.out, fixtures);
    const back = filePath('back.json');
    const toFile = await migrate(['--from', PG_URL, '--from-schema', schema, '--to', `file:${back}`]);
    assert.equal(toFile.code, 0, toFile.out);
    assertNoCanary(readFileSync(back, 'latin1'), fixtures);

    const original = await useFile(src, recordHashes);
    assert.equal(original.size, 8); // per vault: its record, 2 items, 1 approval
    assert.deepEqual(await usePg(schema, recordHashes), original);
    assert.deepEqual(await useFile(back, recordHashes), original);
    for (const f of fixtures) {
      assert.deepEqual(await usePg(schema, (s) => readBack(s, f)), { password: PASSWORD, key: API_KEY, host: 'db.example' });
      assert.deepEqual(await useFile(back, (s) => readBack(s, f)), { password: PASSWORD, key: API_KEY, host: 'db.example' });
    }
    const again = await migrate(['--from', `file:${src}`, '--to', PG_URL, '--to-schema', schema]);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /already there, identical\): 0 items copied, 2 already there; 0 approvals copied, 1 already there/);
  });

  it('differing data in the target is never overwritten (conflict) and nothing is copied', async () => {
    const src = filePath('src.json');
    const [a, b] = await useFile(src, async (s) => [await fillStore(s), await fillStore(s)]);
    const schema = newSchema();
    assert.equal((await migrate(['--from', `file:${src}`, '--to', PG_URL, '--to-schema', schema])).code, 0);
    // In the target, vault b's "api" item is changed and vault a's "db" item deleted; then the source gets a new item.
    await usePg(schema, async (s) => {
      await s.putItem(b!.vaultId, 'api', { name: 'changed', type: 'custom', plain: { url: 'https://api.example' }, secret: {} });
      await s.deleteItem(a!.vaultId, 'db');
    });
    const before = await usePg(schema, recordHashes);
    const r = await migrate(['--from', `file:${src}`, '--to', PG_URL, '--to-schema', schema]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /error: conflict: .*item "api"/);
    assert.deepEqual(await usePg(schema, recordHashes), before, 'nothing was written');
  });
});
