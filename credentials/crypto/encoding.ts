import { sodium } from './sodium';

/** base64url without padding (RFC 4648 section 5), as PROTOCOL.md requires for every binary value. */
export function toB64(bytes: Uint8Array): string {
  const s = sodium();
  return s.to_base64(bytes, s.base64_variants.URLSAFE_NO_PADDING);
}

/**
 * Strict decoding: only the canonical encoding of some bytes is accepted (libsodium alone would take
 * non-zero trailing bits), and optionally exactly `length` bytes. Returns null for anything else.
 */
export function fromB64(text: unknown, length?: number): Uint8Array | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const s = sodium();
  let bytes: Uint8Array;
  try {
    bytes = s.from_base64(text, s.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    return null;
  }
  if (length !== undefined && bytes.length !== length) return null;
  if (toB64(bytes) !== text) return null;
  return bytes;
}

export function utf8(text: string): Uint8Array {
  return sodium().from_string(text);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
