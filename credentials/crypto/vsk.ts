import { VaultError } from '../errors';
import { fromB64, toB64 } from './encoding';
import { KEY_BYTES, VSK_PREFIX } from './labels';
import { MESSAGE_INVALID_SECRET_FORMAT } from './limits';
import { sodium } from './sodium';

const VSK_TEXT_LENGTH = VSK_PREFIX.length + 43;

/** A new Vault Secret Key: 32 random bytes. */
export function newVsk(): Uint8Array {
  return sodium().randombytes_buf(KEY_BYTES);
}

export function formatVsk(vsk: Uint8Array): string {
  return VSK_PREFIX + toB64(vsk);
}

/** Parse the VSK text form. The message never repeats the input: it may be a real, mistyped key. */
export function parseVsk(text: unknown): Uint8Array {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  // No RegExp on the key's text: RegExp.input would keep it reachable after a lock.
  const bytes = trimmed.length === VSK_TEXT_LENGTH && trimmed.startsWith(VSK_PREFIX)
    ? fromB64(trimmed.slice(VSK_PREFIX.length), KEY_BYTES)
    : null;
  if (!bytes) {
    throw new VaultError('invalid_secret_format', MESSAGE_INVALID_SECRET_FORMAT);
  }
  return bytes;
}
