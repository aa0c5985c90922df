import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultError, VaultRuntime, loadOrCreateRuntimeKeys, newRuntimeKeys, sodiumReady, toB64 } from '../../credentials';

const keyFileInvalid = (why: RegExp) => (e: unknown): boolean =>
  e instanceof VaultError && e.code === 'key_file_invalid' && why.test(e.message) && /Restore it from a backup, or delete it/.test(e.message);

describe('runtime key file', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    await sodiumReady();
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-keyfile-'));
    path = join(dir, 'nr-vault-runtime-key.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made on first start, readable by its owner only, and gives the same identity next time', async () => {
    const rt = await VaultRuntime.start(dir, {});
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const info = rt.info;
    await rt.close();
    const again = await VaultRuntime.start(dir, {});
    assert.deepEqual(again.info, info);
    await again.close();
  });

  it('tightens a copy restored with open permissions', () => {
    loadOrCreateRuntimeKeys(path);
    chmodSync(path, 0o644);
    loadOrCreateRuntimeKeys(path);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('a corrupt file stops the start with key_file_invalid and is left as it was (no new identity)', async () => {
    writeFileSync(path, '{ not json');
    await assert.rejects(VaultRuntime.start(dir, {}), keyFileInvalid(/cannot be read or is not JSON/));
    assert.equal(readFileSync(path, 'utf8'), '{ not json');
  });

  it('a file whose public key is not its secret key\'s is key_file_invalid', () => {
    const a = newRuntimeKeys();
    const b = newRuntimeKeys();
    writeFileSync(path, JSON.stringify({ format: 1, id: a.id, publicKey: toB64(b.publicKey), secretKey: toB64(a.secretKey), createdAt: '' }));
    assert.throws(() => loadOrCreateRuntimeKeys(path), keyFileInvalid(/does not match its secret key/));
  });

  it('a malformed file (bad id, short key, other format) is key_file_invalid', () => {
    const a = newRuntimeKeys();
    const good = { format: 1, id: a.id, publicKey: toB64(a.publicKey), secretKey: toB64(a.secretKey), createdAt: '' };
    for (const bad of [{ ...good, id: 'bad id!' }, { ...good, secretKey: 'AAAA' }, { ...good, format: 2 }]) {
      writeFileSync(path, JSON.stringify(bad));
      assert.throws(() => loadOrCreateRuntimeKeys(path), keyFileInvalid(/is malformed/));
    }
  });

  it('an unreadable file (here: a directory in its place) is key_file_invalid', () => {
    mkdirSync(path);
    assert.throws(() => loadOrCreateRuntimeKeys(path), keyFileInvalid(/cannot be read/));
  });

  it('the error never contains the secret key', () => {
    const a = newRuntimeKeys();
    const b = newRuntimeKeys();
    writeFileSync(path, JSON.stringify({ format: 1, id: a.id, publicKey: toB64(b.publicKey), secretKey: toB64(a.secretKey), createdAt: '' }));
    assert.throws(() => loadOrCreateRuntimeKeys(path), (e: unknown) => e instanceof Error && !e.message.includes(toB64(a.secretKey)));
  });
});
