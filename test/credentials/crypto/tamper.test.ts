import assert from 'node:assert/strict';
import {
  deriveVaultKeyPair, formatVsk, newId, newRuntimeKeys, newShare, newUnlockPayload, newVsk, openField, openSealedBytes,
  parseUnlockPayload, sealField, sealFieldFormat1, sealUnlockPayload, sodiumReady, toB64, fromB64, VaultError, type FieldPlace,
  type SealedField,
} from '../../../credentials';

const isCode = (code: string) => (e: unknown): boolean => e instanceof VaultError && e.code === code;

function flip(text: string, at = 3): string {
  const bytes = fromB64(text)!;
  bytes[at % bytes.length] ^= 0x01;
  return toB64(bytes);
}

describe('field sealing: tampering', () => {
  let keys: { publicKey: Uint8Array; secretKey: Uint8Array };
  let sealed: SealedField;
  const vault = 'v1';
  const item = 'item-a';
  const plain = { host: 'smtp.example.com', port: '587', from: 'a@example.com' };
  const at = (over: Partial<FieldPlace> = {}): FieldPlace => ({ vault, item, field: 'password', type: 'smtp', plain, ...over });

  before(async () => {
    await sodiumReady();
    keys = deriveVaultKeyPair(newVsk(), newShare(), vault);
    sealed = sealField(keys.publicKey, at(), 'canary-☂-value');
  });

  it('round-trips a value', () => {
    assert.equal(openField(keys, at(), sealed), 'canary-☂-value');
  });

  for (const part of ['ct', 'wrapped', 'nonce'] as const) {
    it(`a flipped byte of ${part} is tampered`, () => {
      assert.throws(() => openField(keys, at(), { ...sealed, [part]: flip(sealed[part]) }), isCode('tampered'));
    });
  }

  it('is written in field format 2 (v: 2)', () => {
    assert.equal(sealed.v, 2);
  });

  for (const [name, change] of [
    ['host', { host: 'evil.example' }], ['port', { port: '2525' }], ['secure', { secure: 'true' }],
  ] as const) {
    it(`a changed destination field (${name}) makes a format-2 field tampered`, () => {
      assert.throws(() => openField(keys, at({ plain: { ...plain, ...change } }), sealed), isCode('tampered'));
    });
  }

  it('a changed plain field that is no destination field keeps it open', () => {
    assert.equal(openField(keys, at({ plain: { ...plain, from: 'b@example.com', username: 'x' } }), sealed), 'canary-☂-value');
  });

  it('another type (same plain fields) is tampered', () => {
    assert.throws(() => openField(keys, at({ type: 'custom' }), sealed), isCode('tampered'));
  });

  it('a format-2 field stripped of v (read as format 1) is tampered, and an unknown v too', () => {
    const { v: _v, ...stripped } = sealed;
    assert.throws(() => openField(keys, at(), stripped), isCode('tampered'));
    assert.throws(() => openField(keys, at(), { ...sealed, v: 3 as unknown as 2 }), isCode('tampered'));
  });

  it('a format-1 field still opens, whatever the destination (so it is migrated)', () => {
    const old = sealFieldFormat1(keys.publicKey, vault, item, 'password', 'old-value');
    assert.equal(old.v, undefined);
    assert.equal(openField(keys, at({ plain: { host: 'anything' } }), old), 'old-value');
  });

  it('the old positional call (the editor before format 2) throws instead of sealing', () => {
    const call = sealField as unknown as (...a: unknown[]) => unknown;
    assert.throws(() => call(keys.publicKey, vault, item, 'password', 'x'), TypeError);
  });

  it('a ciphertext moved to another field is tampered', () => {
    assert.throws(() => openField(keys, at({ field: 'apiKey' }), sealed), isCode('tampered'));
  });

  it('a ciphertext moved to another item is tampered', () => {
    assert.throws(() => openField(keys, at({ item: 'item-b' }), sealed), isCode('tampered'));
  });

  it('a ciphertext moved to another vault is tampered', () => {
    assert.throws(() => openField(keys, at({ vault: 'v2' }), sealed), isCode('tampered'));
  });

  it('garbage in place of base64url is tampered, and the message names no value', () => {
    assert.throws(() => openField(keys, at(), { wrapped: '!!', nonce: 'x', ct: '' }), (e: unknown) => {
      return isCode('tampered')(e) && !(e as Error).message.includes('canary');
    });
  });

  it('a field sealed to another vault\'s key is tampered', () => {
    const other = deriveVaultKeyPair(newVsk(), newShare(), vault);
    const foreign = sealField(other.publicKey, at(), 'x');
    assert.throws(() => openField(keys, at(), foreign), isCode('tampered'));
  });
});

describe('unlock payload', () => {
  before(() => sodiumReady());

  it('round-trips through a seal to a runtime key', () => {
    const rt = newRuntimeKeys();
    const vaultId = newId();
    const p = newUnlockPayload(rt.id, vaultId, formatVsk(newVsk()));
    const got = parseUnlockPayload(openSealedBytes(sealUnlockPayload(p, rt.publicKey), rt));
    assert.deepEqual(got, p);
  });

  it('a box sealed to another runtime is bad_seal', () => {
    const a = newRuntimeKeys();
    const b = newRuntimeKeys();
    const sealed = sealUnlockPayload(newUnlockPayload(a.id, 'v', formatVsk(newVsk())), a.publicKey);
    assert.throws(() => openSealedBytes(sealed, b), isCode('bad_seal'));
    assert.throws(() => openSealedBytes('not base64!', b), isCode('bad_seal'));
    assert.throws(() => openSealedBytes('', b), isCode('bad_seal'));
  });

  for (const [label, text] of [
    ['not JSON', 'hello'],
    ['an array', '[1]'],
    ['v 2', '{"v":2,"runtime":"r","vault":"v","secret":"s","iat":1,"nonce":"AAECAwQFBgcICQoLDA0ODw"}'],
    ['a short nonce', '{"v":1,"runtime":"r","vault":"v","secret":"s","iat":1,"nonce":"AAEC"}'],
    ['iat as text', '{"v":1,"runtime":"r","vault":"v","secret":"s","iat":"1","nonce":"AAECAwQFBgcICQoLDA0ODw"}'],
    ['no secret', '{"v":1,"runtime":"r","vault":"v","iat":1,"nonce":"AAECAwQFBgcICQoLDA0ODw"}'],
  ]) {
    it(`a payload that is ${label} is bad_payload`, () => {
      assert.throws(() => parseUnlockPayload(new TextEncoder().encode(text)), isCode('bad_payload'));
    });
  }
});
