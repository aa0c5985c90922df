import { VaultError } from '../errors';
import { fromB64, toB64, utf8 } from './encoding';
import { UNLOCK_NONCE_BYTES } from './labels';
import { ID_PATTERN } from './limits';
import { sodium } from './sodium';

/** What a sender seals to a runtime's public key to hand it a VSK. */
export interface UnlockPayload {
  v: 1;
  runtime: string;
  vault: string;
  secret: string;
  iat: number;
  nonce: string;
}

export function newUnlockPayload(runtime: string, vault: string, secret: string, now = Date.now()): UnlockPayload {
  return { v: 1, runtime, vault, secret, iat: now, nonce: toB64(sodium().randombytes_buf(UNLOCK_NONCE_BYTES)) };
}

/** Field order is fixed so payloads are byte for byte what PROTOCOL.md shows. */
export function encodeUnlockPayload(p: UnlockPayload): string {
  return JSON.stringify({ v: p.v, runtime: p.runtime, vault: p.vault, secret: p.secret, iat: p.iat, nonce: p.nonce });
}

export function sealUnlockPayload(p: UnlockPayload, runtimePublicKey: Uint8Array): string {
  const bytes = utf8(encodeUnlockPayload(p));
  try {
    return toB64(sodium().crypto_box_seal(bytes, runtimePublicKey));
  } finally {
    sodium().memzero(bytes);
  }
}

/** Step "crypto_box_seal_open succeeds" of the unlock table. The caller wipes the result. */
export function openSealedBytes(sealed: string, runtime: { publicKey: Uint8Array; secretKey: Uint8Array }): Uint8Array {
  const box = fromB64(sealed);
  if (box && box.length > sodium().crypto_box_SEALBYTES) {
    try {
      return sodium().crypto_box_seal_open(box, runtime.publicKey, runtime.secretKey);
    } catch {
      // fall through: every failure to open is the same error
    }
  }
  throw new VaultError('bad_seal', "The sealed unlock request does not open with this runtime's key: seal it to the public key from GET vault/runtime.");
}

/** Step "payload is JSON with the fields above, v is 1". Only shapes are checked here. */
export function parseUnlockPayload(bytes: Uint8Array): UnlockPayload {
  const bad = new VaultError('bad_payload', 'The unlock payload is not {"v":1,"runtime","vault","secret","iat","nonce"} as PROTOCOL.md version 1 defines it.');
  let p: unknown;
  try {
    p = JSON.parse(sodium().to_string(bytes));
  } catch {
    throw bad;
  }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw bad;
  const o = p as Record<string, unknown>;
  const ok =
    o.v === 1 &&
    typeof o.runtime === 'string' && ID_PATTERN.test(o.runtime) &&
    typeof o.vault === 'string' && ID_PATTERN.test(o.vault) &&
    typeof o.secret === 'string' &&
    typeof o.iat === 'number' && Number.isFinite(o.iat) &&
    fromB64(o.nonce, UNLOCK_NONCE_BYTES) !== null;
  if (!ok) throw bad;
  return { v: 1, runtime: o.runtime as string, vault: o.vault as string, secret: o.secret as string, iat: o.iat as number, nonce: o.nonce as string };
}
