/**
 * A token's lifetime from a server's `expires_in`. It is untrusted input: 1e308 or 1e13 seconds made
 * `expiresAt` Infinity or an invalid date (RangeError on every message, a token request and a store
 * write per message); 0, negative or not a number would mean "expired already".
 */

/** Assumed when a server leaves out `expires_in` (it is only RECOMMENDED by RFC 6749) or sends nonsense. */
export const DEFAULT_EXPIRES_IN = 3600;
/** A longer lifetime is clamped: the runtime asks again after a year at the latest. */
export const MAX_EXPIRES_IN = 365 * 24 * 3600;
/** A shorter one (a fraction of a second) is raised to this. */
export const MIN_EXPIRES_IN = 1;

/** Seconds, within [MIN_EXPIRES_IN, MAX_EXPIRES_IN]; DEFAULT_EXPIRES_IN for a missing or invalid value. */
export function tokenLifetime(expiresIn: unknown): number {
  if (expiresIn === undefined || expiresIn === null) return DEFAULT_EXPIRES_IN;
  const n = typeof expiresIn === 'number' ? expiresIn : typeof expiresIn === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(expiresIn) ? Number(expiresIn) : NaN;
  if (!Number.isFinite(n) || n <= 0) return DEFAULT_EXPIRES_IN;
  return Math.min(Math.max(n, MIN_EXPIRES_IN), MAX_EXPIRES_IN);
}
