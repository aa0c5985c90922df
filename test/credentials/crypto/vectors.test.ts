import assert from 'node:assert/strict';
import {
  deriveVaultKeyPair, formatVsk, fromB64, openField, openSealedBytes, openVaultKeyPair, parseUnlockPayload, parseVsk,
  runtimeFingerprint, sealField, sealFieldFormat1, sodiumReady, toB64, VaultError, encodeUnlockPayload, destinationBinding,
  openFieldBytes,
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
    const sealed = sealFieldFormat1(b(vectors.vaultKeypair.expectPublicKey), f.vaultId, f.itemId, f.field, f.value, { dk: b(f.dk), nonce: b(f.nonce) });
    assert.equal(sealed.ct, f.expectCt);
    assert.equal(sealed.nonce, f.nonce);
  });

  it('opens the vector field (wrapped with the vault key pair) to its value', () => {
    const f = vectors.field;
    const keys = { publicKey: b(vectors.vaultKeypair.expectPublicKey), secretKey: b(vectors.vaultKeypair.expectSecretKey) };
    const place = { vault: f.vaultId, item: f.itemId, field: f.field, type: 'login', plain: {} };
    assert.equal(openField(keys, place, { wrapped: f.wrapped, nonce: f.nonce, ct: f.expectCt }), f.value);
  });

  describe('destination binding (field format 2)', () => {
    const d = () => vectors.destinationBinding;
    const keys = () => ({ publicKey: b(vectors.vaultKeypair.expectPublicKey), secretKey: b(vectors.vaultKeypair.expectSecretKey) });
    const place = (destination: Record<string, string>) => ({ vault: d().vaultId, item: d().itemId, field: d().field, type: d().type, plain: destination });

    it('computes the binding of the destination and of the moved destination', () => {
      assert.equal(toB64(destinationBinding(d().type, d().destination)), d().expectBinding);
      assert.equal(toB64(destinationBinding(d().type, d().movedDestination)), d().expectMovedBinding);
    });

    it('plain fields that are no destination fields do not enter the binding', () => {
      assert.equal(toB64(destinationBinding(d().type, { ...d().destination, from: 'x@example.com', username: 'u' })), d().expectBinding);
    });

    it('seals to the expected ciphertext with the fixed dk and nonce, marked v: 2', () => {
      const sealed = sealField(b(vectors.vaultKeypair.expectPublicKey), place(d().destination), d().value, { dk: b(d().dk), nonce: b(d().nonce) });
      assert.equal(sealed.v, 2);
      assert.equal(sealed.ct, d().expectCt);
    });

    it('opens the vector to its value at its destination', () => {
      assert.equal(openField(keys(), place(d().destination), { v: 2, wrapped: d().wrapped, nonce: d().nonce, ct: d().expectCt }), d().value);
    });

    it('does not open with the v1 ad, nor at the moved destination', () => {
      const field = { v: 2 as const, wrapped: d().wrapped, nonce: d().nonce, ct: d().expectCt };
      const isTampered = (e: unknown) => e instanceof VaultError && e.code === 'tampered';
      assert.throws(() => openFieldBytes(keys(), place(d().destination), { wrapped: field.wrapped, nonce: field.nonce, ct: field.ct }), isTampered);
      assert.throws(() => openFieldBytes(keys(), place(d().movedDestination), field), isTampered);
    });
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
