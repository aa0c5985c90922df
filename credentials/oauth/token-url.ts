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
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) throw badUrl(text);
  if (url.username || url.password) {
    // Credentials in a plain field would be stored in clear: refuse rather than use them.
    throw new VaultError('token_error', 'The token URL must not contain a user name or password: put the client secret in its own field.');
  }
  return url;
}

/**
 * The client secret and refresh token go to this URL: in clear only to this machine itself
 * (a local test or development server), never over a network.
 */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function badUrl(text: string): VaultError {
  return new VaultError('token_error', `The token URL ${quote(text, 80)} is neither an https:// URL nor an Auth0 domain such as example.eu.auth0.com (http:// is allowed only for this machine: localhost, 127.0.0.1, [::1]).`);
}
