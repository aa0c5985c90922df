import { VaultError, type DecryptedItem } from '../../credentials';

/**
 * The HTTP header that authenticates with a connection, for Node-RED's http request node
 * (msg.headers): `Authorization: Bearer <access token>` for OAuth2 connections, and the
 * configured header and prefix for API keys.
 */
export function authHeader(item: DecryptedItem): { name: string; value: string } {
  if (item.type === 'oauth2-client' || item.type === 'oauth2-refresh') {
    if (!item.fields.accessToken) throw new VaultError('token_error', `Connection "${item.name}" has no access token yet.`);
    return { name: 'Authorization', value: `Bearer ${item.fields.accessToken}` };
  }
  if (item.type === 'api-key') {
    const prefix = item.fields.prefix ?? 'Bearer';
    return { name: item.fields.header || 'Authorization', value: prefix ? `${prefix} ${item.fields.key}` : item.fields.key };
  }
  throw new VaultError('wrong_type', `Connection "${item.name}" is of type ${item.type}: only OAuth2 and API key connections give an Authorization header.`);
}

/** Set the header on msg.headers, keeping the headers already there (a header of another case is replaced). */
export function setAuthHeader(msg: Record<string, unknown>, header: { name: string; value: string }): void {
  const current = msg.headers;
  const headers: Record<string, unknown> = typeof current === 'object' && current !== null && !Array.isArray(current) ? { ...current } : {};
  for (const k of Object.keys(headers)) if (k.toLowerCase() === header.name.toLowerCase()) delete headers[k];
  headers[header.name] = header.value;
  msg.headers = headers;
}
