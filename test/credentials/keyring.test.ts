import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileStore, formatVsk, fromB64, Keyring, newId, newRuntimeKeys, newVaultRecord, newVsk, sealField, sodiumReady, VaultError, type SealedField,
} from '../../credentials';

const isCode = (code: string) => (e: unknown): boolean => e instanceof VaultError && e.code === code;

describe('keyring', () => {
  let dir: string;
  let store: FileStore;
  let keyring: Keyring;
  let vaultId: string;
  let vsk: string;
  let publicKey: Uint8Array;

  const seal = (item: string, fields: Record<string, string>, type: string, plain: Record<string, string>): Record<string, SealedField> =>
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, sealField(publicKey, { vault: vaultId, item, field: k, type, plain }, v)]));

  beforeEach(async () => {
    await sodiumReady();
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-keyring-'));
    store = new FileStore(join(dir, 's.json'));
    await store.open();
    vaultId = newId();
    const made = newVaultRecord('V', vaultId);
    publicKey = fromB64(made.record.publicKey, 32)!;
    vsk = made.vsk;
    await store.createVault({ ...made.record, createdAt: new Date().toISOString() });
    keyring = new Keyring(store, newRuntimeKeys());
  });

  afterEach(async () => {
    keyring.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is locked until unlocked; a locked read is `locked`', async () => {
    await store.putItem(vaultId, 'i1', { name: 'db', type: 'database', plain: { host: 'h', username: 'u' }, secret: seal('i1', { password: 'p' }, 'database', { host: 'h', username: 'u' }) });
    assert.equal(keyring.isUnlocked(vaultId), false);
    await assert.rejects(keyring.getItem(vaultId, 'i1'), isCode('locked'));
    await keyring.unlock(vaultId, vsk);
    const item = await keyring.getItem(vaultId, 'i1');
    assert.deepEqual(item.fields, { host: 'h', username: 'u', password: 'p' });
    assert.equal(item.status, 'ready');
  });

  it('a wrong VSK is wrong_secret; a malformed one invalid_secret_format; an unknown vault unknown_vault', async () => {
    await assert.rejects(keyring.unlock(vaultId, formatVsk(newVsk())), isCode('wrong_secret'));
    await assert.rejects(keyring.unlock(vaultId, 'vsk1_nope'), isCode('invalid_secret_format'));
    await assert.rejects(keyring.unlock('nope', vsk), isCode('unknown_vault'));
    assert.equal(keyring.isUnlocked(vaultId), false);
  });

  it('reports item status: ready, empty, incomplete', async () => {
    await store.putItem(vaultId, 'e', { name: 'e', type: 'smtp', plain: {}, secret: {} });
    await store.putItem(vaultId, 'p', { name: 'p', type: 'smtp', plain: { host: 'h' }, secret: {} });
    await store.putItem(vaultId, 'r', { name: 'r', type: 'smtp', plain: { host: 'h', from: 'f@x' }, secret: {} });
    await keyring.unlock(vaultId, vsk);
    assert.equal((await keyring.getItem(vaultId, 'e')).status, 'empty');
    assert.equal((await keyring.getItem(vaultId, 'p')).status, 'incomplete');
    assert.equal((await keyring.getItem(vaultId, 'r')).status, 'ready');
  });

  it('a store writer who moves a secret into a plain field of its name (plain.password) gets tampered, not their value', async () => {
    // Issue 11 (low): the store writer removes the sealed password and sets plain.password to a value of their own.
    await store.putItem(vaultId, 'moved', { name: 'db', type: 'database', plain: { host: 'h', username: 'u', password: 'attacker-chosen' }, secret: {} });
    await keyring.unlock(vaultId, vsk);
    await assert.rejects(keyring.getItem(vaultId, 'moved'), (e: unknown) => isCode('tampered')(e) && /"password"/.test((e as Error).message) && !(e as Error).message.includes('attacker-chosen'));
    // A custom connection defines no secret names: its plain fields are read as they are.
    await store.putItem(vaultId, 'c', { name: 'c', type: 'custom', plain: { password: 'plain on purpose' }, secret: {} });
    assert.equal((await keyring.getItem(vaultId, 'c')).fields.password, 'plain on purpose');
  });

  it('decrypts lazily: unlocking reads no item', async () => {
    await store.putItem(vaultId, 'bad', { name: 'x', type: 'custom', plain: {}, secret: { k: { wrapped: 'AA', nonce: 'AA', ct: 'AA' } } });
    await keyring.unlock(vaultId, vsk); // would throw if it decrypted eagerly
    await assert.rejects(keyring.getItem(vaultId, 'bad'), isCode('tampered'));
  });

  it('drops the cache on a store change: the next read sees the edit', async () => {
    await store.putItem(vaultId, 'i1', { name: 'k', type: 'api-key', plain: {}, secret: seal('i1', { key: 'old' }, 'api-key', {}) });
    await keyring.unlock(vaultId, vsk);
    assert.equal((await keyring.getItem(vaultId, 'i1')).fields.key, 'old');
    await store.putItem(vaultId, 'i1', { name: 'k', type: 'api-key', plain: {}, secret: seal('i1', { key: 'new' }, 'api-key', {}) });
    assert.equal((await keyring.getItem(vaultId, 'i1')).fields.key, 'new');
    await store.deleteItem(vaultId, 'i1');
    await assert.rejects(keyring.getItem(vaultId, 'i1'), isCode('not_found'));
  });

  it('lock overwrites the VSK, the vault secret key and every decrypted value with zeros', async () => {
    await store.putItem(vaultId, 'i1', { name: 'k', type: 'custom', plain: {}, secret: seal('i1', { a: 'canary-aaaa', b: 'canary-bbbb' }, 'custom', {}) });
    await keyring.unlock(vaultId, vsk);
    await keyring.getItem(vaultId, 'i1');
    const held = keyring.heldBuffers(vaultId);
    assert.equal(held.length, 4);
    assert.ok(held.every((b) => b.some((x) => x !== 0)), 'the buffers hold data while unlocked');
    assert.equal(keyring.lock(vaultId), true);
    assert.ok(held.every((b) => b.every((x) => x === 0)), 'every buffer is zero after lock');
    assert.deepEqual(keyring.heldBuffers(vaultId), []);
    await assert.rejects(keyring.getItem(vaultId, 'i1'), isCode('locked'));
  });

  it('a changed item has its old decrypted values wiped', async () => {
    await store.putItem(vaultId, 'i1', { name: 'k', type: 'custom', plain: {}, secret: seal('i1', { a: 'one' }, 'custom', {}) });
    await keyring.unlock(vaultId, vsk);
    await keyring.getItem(vaultId, 'i1');
    const [, , value] = keyring.heldBuffers(vaultId);
    await store.putItem(vaultId, 'i1', { name: 'k', type: 'custom', plain: {}, secret: seal('i1', { a: 'two' }, 'custom', {}) });
    assert.ok(value.every((x) => x === 0));
  });

  it('waitForUnlock resolves on unlock and rejects with `locked` after its time', async () => {
    const waiting = keyring.waitForUnlock(vaultId, 5000);
    await keyring.unlock(vaultId, vsk);
    await waiting;
    keyring.lock(vaultId);
    await assert.rejects(keyring.waitForUnlock(vaultId, 20), isCode('locked'));
  });

  it('never mixes fields of two versions while an item is rewritten under concurrent reads', async () => {
    const write = (n: number) => store.putItem(vaultId, 'm', { name: 'm', type: 'custom', plain: { n: String(n) }, secret: seal('m', { a: `v${n}`, b: `v${n}` }, 'custom', { n: String(n) }) });
    await write(0);
    await keyring.unlock(vaultId, vsk);
    const reads: Promise<void>[] = [];
    for (let n = 1; n <= 40; n++) {
      const w = write(n);
      for (let r = 0; r < 10; r++) {
        reads.push(keyring.getItem(vaultId, 'm').then((item) => {
          assert.equal(item.fields.a, item.fields.b);
          assert.equal(item.fields.a, `v${item.fields.n}`);
        }));
      }
      await w;
    }
    await Promise.all(reads);
  });

  it('writeFields seals runtime-written values that a later read opens', async () => {
    const first = await store.putItem(vaultId, 'o', { name: 'o', type: 'oauth2-client', plain: { tokenUrl: 'http://t', clientId: 'c' }, secret: seal('o', { clientSecret: 's' }, 'oauth2-client', { tokenUrl: 'http://t', clientId: 'c' }) });
    await keyring.unlock(vaultId, vsk);
    await keyring.writeFields(vaultId, 'o', { secret: { accessToken: 'tok' }, plain: { expiresAt: '123' } }, first.version);
    const item = await keyring.getItem(vaultId, 'o');
    assert.equal(item.fields.accessToken, 'tok');
    assert.equal(item.fields.expiresAt, '123');
    assert.equal(item.fields.clientSecret, 's');
    await assert.rejects(keyring.writeFields(vaultId, 'o', { plain: { expiresAt: '1' } }, first.version), isCode('conflict'));
  });

  describe('reads shared and cached (the Get Item hot path)', () => {
    let reads: number;
    beforeEach(() => {
      reads = 0;
      const read = store.getItem.bind(store);
      // Counts store reads: each one is followed by a decryption.
      store.getItem = (v: string, i: string) => {
        reads++;
        return read(v, i);
      };
    });

    it('a burst of first reads after unlock reads and decrypts the item once', async () => {
      await store.putItem(vaultId, 'i1', { name: 'db', type: 'database', plain: { host: 'h', username: 'u' }, secret: seal('i1', { password: 'p' }, 'database', { host: 'h', username: 'u' }) });
      await keyring.unlock(vaultId, vsk);
      const items = await Promise.all(Array.from({ length: 100 }, () => keyring.getItem(vaultId, 'i1')));
      assert.equal(reads, 1);
      for (const item of items) assert.deepEqual(item.fields, { host: 'h', username: 'u', password: 'p' });
      await keyring.getItem(vaultId, 'i1');
      assert.equal(reads, 1);
    });

    it('a read that starts after a change is not joined to one from before it', async () => {
      await store.putItem(vaultId, 'i1', { name: 'db', type: 'custom', plain: {}, secret: seal('i1', { password: 'old' }, 'custom', {}) });
      await keyring.unlock(vaultId, vsk);
      const before = keyring.getItem(vaultId, 'i1');
      await store.putItem(vaultId, 'i1', { name: 'db', type: 'custom', plain: {}, secret: seal('i1', { password: 'new' }, 'custom', {}) });
      const after = await keyring.getItem(vaultId, 'i1');
      assert.equal(after.fields.password, 'new');
      assert.ok(['old', 'new'].includes((await before).fields.password));
      assert.equal((await keyring.getItem(vaultId, 'i1')).fields.password, 'new');
    });

    it('readers of a shared read that is locked meanwhile get `locked`, never wiped values', async () => {
      await store.putItem(vaultId, 'i1', { name: 'db', type: 'custom', plain: {}, secret: seal('i1', { password: 'p' }, 'custom', {}) });
      await keyring.unlock(vaultId, vsk);
      const pending = Array.from({ length: 5 }, () => keyring.getItem(vaultId, 'i1'));
      keyring.lock(vaultId);
      for (const p of pending) await assert.rejects(p, isCode('locked'));
    });

    it('cachedItem answers only for an unlocked vault and a decrypted, unchanged item', async () => {
      await store.putItem(vaultId, 'i1', { name: 'db', type: 'custom', plain: { a: '1' }, secret: seal('i1', { b: '2' }, 'custom', { a: '1' }) });
      assert.equal(keyring.cachedItem(vaultId, 'i1'), undefined);
      await keyring.unlock(vaultId, vsk);
      assert.equal(keyring.cachedItem(vaultId, 'i1'), undefined);
      await keyring.getItem(vaultId, 'i1');
      assert.deepEqual(keyring.cachedItem(vaultId, 'i1')?.fields, { a: '1', b: '2' });
      await store.putItem(vaultId, 'i1', { name: 'db', type: 'custom', plain: { a: '3' }, secret: {} });
      assert.equal(keyring.cachedItem(vaultId, 'i1'), undefined);
      assert.deepEqual((await keyring.getItem(vaultId, 'i1')).fields, { a: '3', b: '2' });
      keyring.lock(vaultId);
      assert.equal(keyring.cachedItem(vaultId, 'i1'), undefined);
    });
  });
});
