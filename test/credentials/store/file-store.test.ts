import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, VaultError } from '../../../credentials';
import { storeContract, vaultRecord } from './contract';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nr-vault-store-'));
}

storeContract('file store (lowdb)', async () => {
  const dir = tempDir();
  const store = new FileStore(join(dir, 'nr-vault.json'));
  return { store, cleanup: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

describe('file store', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second store on the same file in this process, with store_locked', async () => {
    const a = new FileStore(join(dir, 's.json'));
    await a.open();
    const b = new FileStore(join(dir, 's.json'));
    await assert.rejects(b.open(), (e: unknown) => e instanceof VaultError && e.code === 'store_locked' && /in use by process/.test(e.message));
    await a.close();
    await b.open();
    await b.close();
  });

  it('refuses a second process on the same file, with a clear error', async () => {
    const file = join(dir, 's.json');
    const a = new FileStore(file);
    await a.open();
    const script = `const { FileStore } = require(${JSON.stringify(join(__dirname, '../../../credentials'))});
      new FileStore(${JSON.stringify(file)}).open().then(() => { console.log('opened'); process.exit(0); },
        (e) => { console.log(e.code + ': ' + e.message); process.exit(3); });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.status, 3, child.stdout + child.stderr);
    assert.match(child.stdout, new RegExp(`^store_locked: The vault store .* is in use by process ${process.pid}\\.`));
    await a.close();
  });

  it('takes over a lock file (0.1.0) left by a dead process; the lock is then a directory naming this process', async () => {
    const file = join(dir, 's.json');
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: Number(dead.stdout.trim()) }));
    const s = new FileStore(file);
    await s.open();
    const holders = readdirSync(`${file}.lock`);
    assert.equal(holders.length, 1);
    assert.match(holders[0], new RegExp(`^holder\\.${process.pid}\\.`));
    await s.close();
    assert.equal(existsSync(`${file}.lock`), false);
  });

  it('writes the whole file atomically and leaves no temporary file', async () => {
    const file = join(dir, 's.json');
    const s = new FileStore(file);
    await s.open();
    await s.createVault(vaultRecord('va'));
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.putItem('va', `i${i}`, { name: `n${i}`, type: 'custom', plain: {}, secret: {} })));
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(Object.keys(parsed.items.va).length, 50);
    assert.deepEqual(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.trim().split('\n').sort(), ['s.json', 's.json.lock']);
    await s.close();
  });

  it('a file that is not JSON is store_corrupt and is left as it was', async () => {
    const file = join(dir, 's.json');
    writeFileSync(file, '{"vaults": {');
    const s = new FileStore(file);
    await assert.rejects(s.open(), (e: unknown) => e instanceof VaultError && e.code === 'store_corrupt');
    assert.equal(readFileSync(file, 'utf8'), '{"vaults": {');
    assert.equal(existsSync(`${file}.lock`), false);
  });
});
