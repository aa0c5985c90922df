import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, createStore, formatVsk, newVsk, sodiumReady, type VaultStore } from '../../../credentials';
import { runCli } from '../../../admin/cli/run-cli';
import { memoryIo } from '../../helpers/memory-io';
import { PG_URL, dropSchema, randomSchema } from '../../helpers/postgres';
import { API_KEY, PASSWORD, fillStore, readBack, type Fixture } from '../../helpers/vault-fixture';


describe('nr-vault export / import', () => {
  let dir: string;
  const open: VaultStore[] = [];
  const schemas: string[] = [];

  /** A file store is locked while open (one process at a time): open it only around each use. */
  function fileStore(name: string): { arg: string; use: <T>(fn: (store: VaultStore) => Promise<T>) => Promise<T> } {
    const path = join(dir, name);
    return {
      arg: `file:${path}`,
      use: async (fn) => {
        const store = new FileStore(path);
        await store.open();
        try {
          return await fn(store);
        } finally {
          await store.close();
        }
      },
    };
  }

  async function pgStore(): Promise<{ store: VaultStore; arg: string[] }> {
    const schema = randomSchema();
    schemas.push(schema);
    const store = await createStore({ type: 'postgres', connectionString: PG_URL, schema }, dir);
    await store.open();
    open.push(store);
    return { store, arg: [PG_URL, '--schema', schema] };
  }

  function cli(args: string[], vsk: string) {
    const io = memoryIo({ NR_VAULT_SECRET: vsk });
    return { io, run: () => runCli(args, io) };
  }

  async function exportTo(storeArgs: string[], f: Fixture, out: string): Promise<unknown> {
    const { io, run } = cli(['export', '--store', ...storeArgs, `--vault=${f.vaultId}`, '--out', out], f.vsk);
    assert.equal(await run(), 0, io.all());
    assertNoCanary(io.all(), f);
    const text = readFileSync(out, 'utf8');
    assertNoCanary(text, f);
    return JSON.parse(text) as unknown;
  }

  function assertNoCanary(text: string, f: Fixture): void {
    for (const secret of [PASSWORD, API_KEY, f.vsk, f.vsk.slice('vsk1_'.length)]) {
      assert.ok(!text.includes(secret), 'a secret or the VSK appears in clear');
      assert.ok(!text.includes(Buffer.from(secret).toString('base64')), 'a secret or the VSK appears in base64');
    }
  }

  async function importFrom(storeArgs: string[], inFile: string, vsk: string): Promise<{ code: number; out: string }> {
    const { io, run } = cli(['import', '--store', ...storeArgs, '--in', inFile], vsk);
    return { code: await run(), out: io.all() };
  }

  before(sodiumReady);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-export-'));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close().catch(() => undefined);
    for (const s of schemas.splice(0)) await dropSchema(s).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('file store → file → PostgreSQL: the imported vault unlocks and reads back; approvals restored; a second import is a no-op', async () => {
    const src = fileStore('src.json');
    const f = await src.use(fillStore);
    const out = join(dir, 'backup.json');
    await exportTo([src.arg], f, out);
    const dst = await pgStore();
    const first = await importFrom(dst.arg, out, f.vsk);
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /created\): 2 items written, 0 already there; 1 approvals written/);
    assertNoCanary(first.out, f);
    assert.deepEqual(await readBack(dst.store, f), { password: PASSWORD, key: API_KEY, host: 'db.example' });
    assert.deepEqual(await dst.store.listApprovals({ vault: f.vaultId }), await src.use((s) => s.listApprovals({ vault: f.vaultId })));
    assert.deepEqual(await dst.store.getVault(f.vaultId), await src.use((s) => s.getVault(f.vaultId)));
    const again = await importFrom(dst.arg, out, f.vsk);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /identical\): 0 items written, 2 already there; 0 approvals written, 1 already there/);
  });

  it('PostgreSQL → file → file store: reads back', async () => {
    const src = await pgStore();
    const f = await fillStore(src.store);
    const out = join(dir, 'backup.json');
    await exportTo(src.arg, f, out);
    const dst = fileStore('dst.json');
    const r = await importFrom([dst.arg], out, f.vsk);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(await dst.use((s) => readBack(s, f)), { password: PASSWORD, key: API_KEY, host: 'db.example' });
  });

  describe('an altered export is refused (tampered) and nothing is written', () => {
    const cases: [string, (file: any) => void][] = [
      ['a changed byte in a ct', (file) => {
        const field = file.items.find((i: any) => i.id === 'db').secret.password;
        field.ct = `${field.ct.slice(0, 5)}${field.ct[5] === 'A' ? 'B' : 'A'}${field.ct.slice(6)}`;
      }],
      ['a changed plain field', (file) => { file.items.find((i: any) => i.id === 'db').plain.host = 'evil.example'; }],
      ['an added item', (file) => { file.items.push({ ...file.items[0], id: 'extra' }); }],
      ['a removed item', (file) => { file.items.pop(); }],
      ['a changed vault name', (file) => { file.vault.name = 'Plant B'; }],
      ['a removed approval', (file) => { file.approvals = []; }],
      ['an added top-level field', (file) => { file.note = 'hello'; }],
      ['no signature', (file) => { delete file.sig; }],
    ];
    for (const [what, alter] of cases) {
      it(what, async () => {
        const src = fileStore('src.json');
        const f = await src.use(fillStore);
        const out = join(dir, 'backup.json');
        const file = await exportTo([src.arg], f, out);
        alter(file);
        const altered = join(dir, 'altered.json');
        writeFileSync(altered, JSON.stringify(file));
        const dst = fileStore('dst.json');
        const r = await importFrom([dst.arg], altered, f.vsk);
        assert.equal(r.code, 1, r.out);
        assert.match(r.out, /error: tampered: /);
        assert.equal(await dst.use((s) => s.getVault(f.vaultId)), undefined);
        assertNoCanary(r.out, f);
      });
    }

    it('without the alteration the same file imports (the cases above fail for their change only)', async () => {
      const src = fileStore('src.json');
      const f = await src.use(fillStore);
      const out = join(dir, 'backup.json');
      const file = await exportTo([src.arg], f, out);
      const copy = join(dir, 'copy.json');
      writeFileSync(copy, JSON.stringify(file)); // re-encoded without indentation: the canonical form is signed, not the bytes
      const dst = fileStore('dst.json');
      const r = await importFrom([dst.arg], copy, f.vsk);
      assert.equal(r.code, 0, r.out);
    });
  });

  it('a wrong VSK is refused at export and at import (wrong_secret); no file is written', async () => {
    const src = fileStore('src.json');
    const f = await src.use(fillStore);
    const other = formatVsk(newVsk());
    const out = join(dir, 'backup.json');
    const bad = cli(['export', '--store', src.arg, `--vault=${f.vaultId}`, '--out', out], other);
    assert.equal(await bad.run(), 1);
    assert.match(bad.io.all(), /error: wrong_secret: /);
    assert.throws(() => readFileSync(out));
    await exportTo([src.arg], f, out);
    const dst = fileStore('dst.json');
    const r = await importFrom([dst.arg], out, other);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /error: wrong_secret: /);
    assert.ok(!r.out.includes(other));
    assert.equal(await dst.use((s) => s.getVault(f.vaultId)), undefined);
  });

  it('differing data in the target store is never overwritten (conflict), and nothing else is written', async () => {
    const src = fileStore('src.json');
    const f = await src.use(fillStore);
    const out = join(dir, 'backup.json');
    await exportTo([src.arg], f, out);
    // The target holds the same vault, where item "api" was changed since the backup.
    await src.use(async (s) => {
      await s.putItem(f.vaultId, 'api', { name: 'API renamed', type: 'custom', plain: { url: 'https://api.example' }, secret: {} });
      await s.deleteItem(f.vaultId, 'db');
    });
    const r = await importFrom([src.arg], out, f.vsk);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /error: conflict: .*item "api"/);
    assert.equal(await src.use((s) => s.getItem(f.vaultId, 'db')), undefined, 'the missing item was not written either');
    assert.equal((await src.use((s) => s.getItem(f.vaultId, 'api')))?.name, 'API renamed');
  });

  it('an existing output file is not overwritten; a file that is not JSON is tampered', async () => {
    const src = fileStore('src.json');
    const f = await src.use(fillStore);
    const out = join(dir, 'backup.json');
    writeFileSync(out, 'keep me');
    const e = cli(['export', '--store', src.arg, `--vault=${f.vaultId}`, '--out', out], f.vsk);
    assert.equal(await e.run(), 1);
    assert.match(e.io.all(), /error: exists: /);
    assert.equal(readFileSync(out, 'utf8'), 'keep me');
    const r = await importFrom([src.arg], out, f.vsk);
    assert.equal(r.code, 1);
    assert.match(r.out, /error: tampered: /);
  });
});
