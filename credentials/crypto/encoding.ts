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
  if (typeof text !== 'string' || !isBase64Url(text)) return null;
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

/**
 * Only A-Z a-z 0-9 - _. A loop, not a RegExp: a RegExp keeps its last input reachable
 * (`RegExp.input`) until the next match anywhere, and this input may be the text of a VSK.
 */
function isBase64Url(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
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
