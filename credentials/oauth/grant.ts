import type { DecryptedItem } from '../keyring';
import type { TokenRequest } from './token-request';
import { TOKEN_CONFIG } from './token-policy';
import { tokenEndpoint } from './token-url';

/** The token request of a connection: client credentials (oauth2-client) or refresh token (oauth2-refresh). */
export function grantRequest(item: DecryptedItem, timeoutMs: number): TokenRequest {
  const f = item.fields;
  const params: Record<string, string> = item.type === 'oauth2-refresh'
    ? { grant_type: 'refresh_token', refresh_token: f.refreshToken ?? '' }
    : { grant_type: 'client_credentials' };
  // Auth0 names the API the token is for `audience`; other servers ignore it.
  if (item.type === 'oauth2-client' && f.audience) params.audience = f.audience;
  if (f.scope) params.scope = f.scope;
  return {
    endpoint: tokenEndpoint(f.tokenUrl ?? ''),
    clientId: f.clientId ?? '',
    clientSecret: f.clientSecret || undefined,
    authMethod: f.authMethod === 'client_secret_basic' ? 'client_secret_basic' : 'client_secret_post',
    params,
    timeoutMs,
  };
}

/** Both are the same grant: same settings and same credentials a person entered (so a token got for one fits the other). */
export function sameGrant(a: DecryptedItem, b: DecryptedItem): boolean {
  if (a.type !== b.type) return false;
  if (TOKEN_CONFIG.some((k) => (a.fields[k] ?? '') !== (b.fields[k] ?? ''))) return false;
  return (a.fields.clientSecret ?? '') === (b.fields.clientSecret ?? '') && (a.fields.refreshToken ?? '') === (b.fields.refreshToken ?? '');
}
