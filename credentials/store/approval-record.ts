import { isValidId } from '../crypto/ids';
import type { RuntimeApproval } from './records';

/** Lengths of what a well-formed approval holds: a 32-byte key and a 64-byte signature, base64url. */
const PUBLIC_KEY_CHARS = 43;
const SIG_CHARS = 86;
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * An approval as read from a store (a file anyone may edit, a table anyone with the connection
 * string may write): the shape checked, a copy returned, anything else undefined. The signature
 * is not checked here: a store never holds the key that could.
 */
export function approvalFromStored(value: unknown): RuntimeApproval | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const { vault, runtime, publicKey, sig, approvedAt } = o;
  if (!isValidId(vault) || !isValidId(runtime)) return undefined;
  if (typeof publicKey !== 'string' || publicKey.length !== PUBLIC_KEY_CHARS || !B64URL.test(publicKey)) return undefined;
  if (typeof sig !== 'string' || sig.length !== SIG_CHARS || !B64URL.test(sig)) return undefined;
  if (typeof approvedAt !== 'string' || approvedAt.length > 40 || Number.isNaN(Date.parse(approvedAt))) return undefined;
  return { vault, runtime, publicKey, sig, approvedAt };
}

export function matchesFilter(a: RuntimeApproval, filter: { vault?: string; runtime?: string } = {}): boolean {
  return (filter.vault === undefined || a.vault === filter.vault) && (filter.runtime === undefined || a.runtime === filter.runtime);
}
