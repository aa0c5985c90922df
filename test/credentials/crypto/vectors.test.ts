import assert from 'node:assert/strict';
import {
  deriveVaultKeyPair, formatVsk, fromB64, openField, openSealedBytes, openVaultKeyPair, parseUnlockPayload, parseVsk,
  runtimeFingerprint, sealField, sodiumReady, toB64, VaultError, encodeUnlockPayload,
} from '../../../credentials';
import { vectors } from '../../helpers/vectors';

const b = (s: string): Uint8Array => {
  const bytes = fromB64(s);
  assert.ok(bytes, `vector ${s} is base64url`);
  return bytes;
};

describe('protocol v1 test vectors', () => {
  before(() => sodiumReady());

  it('parses the VSK text form and formats it back', () => {
    const vsk = parseVsk(vectors.vaultKeypair.vsk);
    assert.equal(vsk.length, 32);
    assert.deepEqual([...vsk], [...Array(32).keys()]);
    assert.equal(formatVsk(vsk), vectors.vaultKeypair.vsk);
    assert.equal(vectors.vaultKeypair.vsk.length, 48);
  });

  it('trims white space around a VSK', () => {
    assert.equal(formatVsk(parseVsk(`  ${vectors.vaultKeypair.vsk}\n`)), vectors.vaultKeypair.vsk);
  });

  for (const bad of vectors.badSecretText) {
    it(`rejects the bad secret text ${JSON.stringify(bad)} with invalid_secret_format`, () => {
      assert.throws(() => parseVsk(bad), (e: unknown) => e instanceof VaultError && e.code === 'invalid_secret_format' && !e.message.includes(bad.slice(5) || '\u0000'));
    });
  }

  it('rejects non-canonical base64url (trailing bits set) in a VSK', () => {
    const text = vectors.vaultKeypair.vsk;
    const last = text[text.length - 1];
    const altered = text.slice(0, -1) + (last === 'f' ? 'g' : 'f'); // same 32 bytes, other low bits
    assert.throws(() => parseVsk(altered), (e: unknown) => e instanceof VaultError && e.code === 'invalid_secret_format');
  });

  it('derives the vault key pair', () => {
    const v = vectors.vaultKeypair;
    const kp = deriveVaultKeyPair(parseVsk(v.vsk), b(v.share), v.vaultId);
    assert.equal(toB64(kp.publicKey), v.expectPublicKey);
    assert.equal(toB64(kp.secretKey), v.expectSecretKey);
  });

  it('a wrong VSK does not derive the public key and is wrong_secret', () => {
    const v = vectors.vaultKeypair;
    const kp = deriveVaultKeyPair(parseVsk(vectors.wrongSecret.vsk), b(v.share), v.vaultId);
    assert.notEqual(toB64(kp.publicKey), v.expectPublicKey);
    const record = { id: v.vaultId, share: v.share, publicKey: v.expectPublicKey };
    assert.throws(() => openVaultKeyPair(parseVsk(vectors.wrongSecret.vsk), record), (e: unknown) => e instanceof VaultError && e.code === 'wrong_secret');
    assert.equal(toB64(openVaultKeyPair(parseVsk(v.vsk), record).publicKey), v.expectPublicKey);
  });

  it('seals a field to the expected ciphertext with the fixed dk and nonce', () => {
    const f = vectors.field;
    const sealed = sealField(b(vectors.vaultKeypair.expectPublicKey), f.vaultId, f.itemId, f.field, f.value, { dk: b(f.dk), nonce: b(f.nonce) });
    assert.equal(sealed.ct, f.expectCt);
    assert.equal(sealed.nonce, f.nonce);
  });

  it('opens the vector field (wrapped with the vault key pair) to its value', () => {
    const f = vectors.field;
    const keys = { publicKey: b(vectors.vaultKeypair.expectPublicKey), secretKey: b(vectors.vaultKeypair.expectSecretKey) };
    assert.equal(openField(keys, f.vaultId, f.itemId, f.field, { wrapped: f.wrapped, nonce: f.nonce, ct: f.expectCt }), f.value);
  });

  it('computes the runtime fingerprint', () => {
    assert.equal(runtimeFingerprint(b(vectors.fingerprint.publicKey)), vectors.fingerprint.expect);
  });

  it('opens the sealed unlock payload to the exact bytes and parses it', () => {
    const u = vectors.unlock;
    const bytes = openSealedBytes(u.sealed, { publicKey: b(u.runtimePublicKey), secretKey: b(u.runtimeSecretKey) });
    assert.equal(Buffer.from(bytes).toString('utf8'), u.expectPayload);
    const payload = parseUnlockPayload(bytes);
    assert.equal(payload.runtime, 'runtime-test-1');
    assert.equal(encodeUnlockPayload(payload), u.expectPayload);
  });
});
