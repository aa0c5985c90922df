/** When a stored access token is still good enough to use, and which types have one. */

export const OAUTH_TYPES: readonly string[] = ['oauth2-client', 'oauth2-refresh'];

export function isOAuthType(type: string): boolean {
  return OAUTH_TYPES.includes(type);
}

/** Refresh when less than max(60 s, 10% of the token's lifetime) is left. */
export const MIN_MARGIN_MS = 60_000;
export const LIFETIME_FRACTION = 0.1;

/** The fields the runtime writes as it refreshes, and which a token depends on. */
export const TOKEN_SECRETS = ['accessToken'] as const;
export const TOKEN_PLAIN = ['expiresAt', 'issuedAt'] as const;
/** A token was issued for exactly these settings: changing one drops it. */
export const TOKEN_CONFIG = ['tokenUrl', 'clientId', 'audience', 'scope', 'authMethod'] as const;

/**
 * max(60 s, 10% of the lifetime), but never more than half the lifetime: a server that gives
 * 30-second tokens would otherwise be asked again on every message.
 */
export function refreshMarginMs(issuedAt: number | undefined, expiresAt: number): number {
  const lifetime = issuedAt !== undefined && issuedAt < expiresAt ? expiresAt - issuedAt : undefined;
  if (lifetime === undefined) return MIN_MARGIN_MS;
  return Math.min(Math.max(MIN_MARGIN_MS, lifetime * LIFETIME_FRACTION), lifetime / 2);
}

function timeField(fields: Record<string, string>, name: string): number | undefined {
  const v = fields[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** The stored token's expiry, or undefined when there is no usable token. */
export function tokenExpiry(fields: Record<string, string>): number | undefined {
  if (!fields.accessToken) return undefined;
  return timeField(fields, 'expiresAt');
}

/** There is a token and it has more than the margin left: use it without asking the server. */
export function tokenIsFresh(fields: Record<string, string>, now: number): boolean {
  const expiresAt = tokenExpiry(fields);
  if (expiresAt === undefined) return false;
  return expiresAt - now > refreshMarginMs(timeField(fields, 'issuedAt'), expiresAt);
}

/** A token this close to expiry is not handed out: it could expire before the request that carries it arrives. */
export const USABLE_MARGIN_MS = 5_000;

/** There is a token that has not expired yet (it may be inside the margin): usable while a refresh fails. */
export function tokenIsUsable(fields: Record<string, string>, now: number): boolean {
  const expiresAt = tokenExpiry(fields);
  return expiresAt !== undefined && expiresAt - now > USABLE_MARGIN_MS;
}
