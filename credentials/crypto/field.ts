import { VaultError } from '../errors';
import { concatBytes, fromB64, toB64, utf8 } from './encoding';
import { KEY_BYTES, LABEL_FIELD, XNONCE_BYTES } from './labels';
import { sodium } from './sodium';

/** A secret field as stored: a per-field key sealed to the vault, and the field sealed with that key. */
export interface SealedField {
  wrapped: string;
  nonce: string;
  ct: string;
}

/** ad = label \0 || vaultId \0 || itemId \0 || fieldName: binds a ciphertext to its place. */
export function fieldAd(vaultId: string, itemId: string, field: string): Uint8Array {
  const zero = new Uint8Array([0]);
  return concatBytes(utf8(LABEL_FIELD), zero, utf8(vaultId), zero, utf8(itemId), zero, utf8(field));
}

/** Fixed `dk` and `nonce` exist only so the test vectors can be reproduced; callers leave them out. */
export interface SealFieldFixed {
  dk?: Uint8Array;
  nonce?: Uint8Array;
}

export function sealField(
  vaultPublicKey: Uint8Array,
  vaultId: string,
  itemId: string,
  field: string,
  value: string,
  fixed: SealFieldFixed = {},
): SealedField {
  const s = sodium();
  const dk = fixed.dk ?? s.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = fixed.nonce ?? s.randombytes_buf(XNONCE_BYTES);
  const plain = utf8(value);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, fieldAd(vaultId, itemId, field), null, nonce, dk);
  const wrapped = s.crypto_box_seal(dk, vaultPublicKey);
  s.memzero(plain);
  if (!fixed.dk) s.memzero(dk);
  return { wrapped: toB64(wrapped), nonce: toB64(nonce), ct: toB64(ct) };
}

function tampered(itemId: string, field: string, cause?: unknown): VaultError {
  // One error for every failed check: an attacker learns nothing about which one failed.
  return new VaultError(
    'tampered',
    `The secret field "${field}" of item "${itemId}" does not open: it was altered, moved or written with another vault's key.`,
    cause === undefined ? undefined : { cause },
  );
}

/** Open a sealed field to its UTF-8 bytes. The caller owns (and must wipe) the result. */
export function openFieldBytes(
  keys: { publicKey: Uint8Array; secretKey: Uint8Array },
  vaultId: string,
  itemId: string,
  field: string,
  sealed: SealedField,
): Uint8Array {
  const s = sodium();
  const wrapped = fromB64(sealed?.wrapped);
  const nonce = fromB64(sealed?.nonce, XNONCE_BYTES);
  const ct = fromB64(sealed?.ct);
  if (!wrapped || !nonce || !ct) throw tampered(itemId, field);
  let dk: Uint8Array | undefined;
  try {
    dk = s.crypto_box_seal_open(wrapped, keys.publicKey, keys.secretKey);
    if (dk.length !== KEY_BYTES) throw new Error('wrapped key has the wrong length');
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, fieldAd(vaultId, itemId, field), nonce, dk);
  } catch {
    throw tampered(itemId, field);
  } finally {
    if (dk) s.memzero(dk);
  }
}

export function openField(
  keys: { publicKey: Uint8Array; secretKey: Uint8Array },
  vaultId: string,
  itemId: string,
  field: string,
  sealed: SealedField,
): string {
  const bytes = openFieldBytes(keys, vaultId, itemId, field, sealed);
  try {
    return sodium().to_string(bytes);
  } finally {
    sodium().memzero(bytes);
  }
}
