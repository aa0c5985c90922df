import { toB64, utf8 } from './encoding';
import { KEY_BYTES } from './labels';
import { sodium } from './sodium';

/** BLAKE2b-256 of a text, base64url: a record's fingerprint for comparing copies (not a MAC). */
export function textDigest(text: string): string {
  return toB64(sodium().crypto_generichash(KEY_BYTES, utf8(text), null));
}
