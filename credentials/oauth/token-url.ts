import { VaultError, quote } from '../errors';

const HOST_ONLY = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

/**
 * The token endpoint of a connection's `tokenUrl`: a full URL is used as it is; a bare host name
 * (an Auth0 domain such as `example.eu.auth0.com`) means `https://<host>/oauth/token`.
 */
export function tokenEndpoint(tokenUrl: string): URL {
  const text = tokenUrl.trim();
  if (HOST_ONLY.test(text)) return new URL(`https://${text}/oauth/token`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(text);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badUrl(text);
  if (url.username || url.password) {
    // Credentials in a plain field would be stored in clear: refuse rather than use them.
    throw new VaultError('token_error', 'The token URL must not contain a user name or password: put the client secret in its own field.');
  }
  return url;
}

function badUrl(text: string): VaultError {
  return new VaultError('token_error', `The token URL ${quote(text, 80)} is neither an https:// URL nor an Auth0 domain such as example.eu.auth0.com.`);
}
