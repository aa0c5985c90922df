import { VaultError, quote } from '../errors';
import { ID_PATTERN, ID_RULE } from './limits';
import { toB64 } from './encoding';
import { sodium } from './sodium';

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

export function assertId(id: unknown, what = 'id'): string {
  if (!isValidId(id)) {
    throw new VaultError('invalid_id', `The ${what} ${quote(id)} is not valid: ${ID_RULE}.`);
  }
  return id;
}

/** A new id: 16 random bytes, base64url (vault, item and runtime ids alike). */
export function newId(): string {
  return toB64(sodium().randombytes_buf(16));
}
