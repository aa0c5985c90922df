import { VaultError } from '../errors';
import { destinationBinding } from './destination';
import { concatBytes, fromB64, toB64, utf8 } from './encoding';
import { KEY_BYTES, LABEL_FIELD, LABEL_FIELD2, XNONCE_BYTES } from './labels';
import { sodium } from './sodium';

/**
 * A secret field as stored: a per-field key sealed to the vault, and the field sealed with that key.
 * Format 1 has no `v`; format 2 (`v: 2`) also binds the ciphertext to where the item sends it.
 */
export interface SealedField {
  v?: 2;
  wrapped: string;
  nonce: string;
  ct: string;
}

/**
 * Where a secret field is: its vault, item and name, and its item's type and plain fields (whose
 * destination fields format 2 binds the ciphertext to).
 */
export interface FieldPlace {
  vault: string;
  item: string;
  field: string;
  type: string;
  plain: Readonly<Record<string, string>>;
}

const ZERO = new Uint8Array([0]);

/** Format 1: ad = "nr-vault/v1 field\0" || vaultId \0 || itemId \0 || fieldName. */
export function fieldAd(vaultId: string, itemId: string, field: string): Uint8Array {
  return concatBytes(utf8(LABEL_FIELD), ZERO, utf8(vaultId), ZERO, utf8(itemId), ZERO, utf8(field));
}

/** Format 2: ad2 = "nr-vault/v1 field2\0" || vaultId \0 || itemId \0 || fieldName \0 || binding. */
export function fieldAd2(place: FieldPlace): Uint8Array {
  const binding = destinationBinding(place.type, place.plain);
  return concatBytes(utf8(LABEL_FIELD2), ZERO, utf8(place.vault), ZERO, utf8(place.item), ZERO, utf8(place.field), ZERO, binding);
}

/** Fixed `dk` and `nonce` exist only so the test vectors can be reproduced; callers leave them out. */
export interface SealFieldFixed {
  dk?: Uint8Array;
  nonce?: Uint8Array;
}

function seal(vaultPublicKey: Uint8Array, ad: Uint8Array, value: string, fixed: SealFieldFixed): Omit<SealedField, 'v'> {
  const s = sodium();
  const dk = fixed.dk ?? s.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = fixed.nonce ?? s.randombytes_buf(XNONCE_BYTES);
  const plain = utf8(value);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, ad, null, nonce, dk);
  const wrapped = s.crypto_box_seal(dk, vaultPublicKey);
  s.memzero(plain);
  if (!fixed.dk) s.memzero(dk);
  return { wrapped: toB64(wrapped), nonce: toB64(nonce), ct: toB64(ct) };
}

function assertPlace(place: FieldPlace): void {
  // The editor is plain JavaScript: a caller of the old positional form must fail, not seal wrongly.
  if (typeof place !== 'object' || place === null || typeof place.vault !== 'string' || typeof place.item !== 'string'
    || typeof place.field !== 'string' || typeof place.type !== 'string' || typeof place.plain !== 'object' || place.plain === null) {
    throw new TypeError('sealField(publicKey, { vault, item, field, type, plain }, value): the place of the field is missing.');
  }
}

/** Seal a secret field in format 2, the format every writer writes. */
export function sealField(vaultPublicKey: Uint8Array, place: FieldPlace, value: string, fixed: SealFieldFixed = {}): SealedField {
  assertPlace(place);
  return { v: 2, ...seal(vaultPublicKey, fieldAd2(place), value, fixed) };
}

/**
 * Seal in format 1. No writer writes it any more; it exists for the version-1 vectors and for tests
 * that prove format-1 fields are still read and migrated.
 */
export function sealFieldFormat1(
  vaultPublicKey: Uint8Array, vaultId: string, itemId: string, field: string, value: string, fixed: SealFieldFixed = {},
): SealedField {
  return seal(vaultPublicKey, fieldAd(vaultId, itemId, field), value, fixed);
}

function tampered(itemId: string, field: string): VaultError {
  // One error for every failed check: an attacker learns nothing about which one failed.
  return new VaultError(
    'tampered',
    `The secret field "${field}" of item "${itemId}" does not open: it was altered, moved, sent to another server than it was saved for, or written with another vault's key.`,
  );
}

/** Open a sealed field (format 1 or 2) to its UTF-8 bytes. The caller owns (and must wipe) the result. */
export function openFieldBytes(keys: { publicKey: Uint8Array; secretKey: Uint8Array }, place: FieldPlace, sealed: SealedField): Uint8Array {
  assertPlace(place);
  const s = sodium();
  const wrapped = fromB64(sealed?.wrapped);
  const nonce = fromB64(sealed?.nonce, XNONCE_BYTES);
  const ct = fromB64(sealed?.ct);
  const format = sealed?.v;
  if (!wrapped || !nonce || !ct || (format !== undefined && format !== 2)) throw tampered(place.item, place.field);
  const ad = format === 2 ? fieldAd2(place) : fieldAd(place.vault, place.item, place.field);
  let dk: Uint8Array | undefined;
  try {
    dk = s.crypto_box_seal_open(wrapped, keys.publicKey, keys.secretKey);
    if (dk.length !== KEY_BYTES) throw new Error('wrapped key has the wrong length');
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, ad, nonce, dk);
  } catch {
    throw tampered(place.item, place.field);
  } finally {
    if (dk) s.memzero(dk);
  }
}

export function openField(keys: { publicKey: Uint8Array; secretKey: Uint8Array }, place: FieldPlace, sealed: SealedField): string {
  const bytes = openFieldBytes(keys, place, sealed);
  try {
    return sodium().to_string(bytes);
  } finally {
    sodium().memzero(bytes);
  }
}

/** Whether a stored field is in format 1 (to be rewritten as format 2 by an unlocked runtime). */
export function isFormat1(sealed: SealedField): boolean {
  return sealed.v === undefined;
}
