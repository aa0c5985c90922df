import { Buffer } from 'node:buffer';
import { VaultError, quote } from '../errors';
import { scrubSecrets, sentSecretForms } from '../scrub-secrets';
import { readCappedText } from './capped-body';
import { tokenLifetime } from './token-lifetime';

/** What a token endpoint gave: the access token, maybe a rotated refresh token, and its lifetime. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Seconds, from `expires_in`. */
  expiresIn: number;
}

export interface TokenRequest {
  endpoint: URL;
  clientId: string;
  clientSecret?: string;
  /** RFC 6749 2.3.1: client_secret_post (Auth0's default) or HTTP Basic. */
  authMethod: 'client_secret_post' | 'client_secret_basic';
  /** The grant's own parameters: grant_type, refresh_token, audience, scope. */
  params: Record<string, string>;
  timeoutMs: number;
}

/**
 * Why a token request failed. `rejected`: the server refused the grant or the client (invalid_grant,
 * invalid_client): asking again will not help, a person must reconnect. `transient`: network, time-out,
 * 429 or 5xx: worth retrying. `refused`: any other answer (a bad scope, a malformed reply).
 */
export type TokenFailure = 'rejected' | 'transient' | 'refused';

export class TokenRequestError extends VaultError {
  constructor(readonly failure: TokenFailure, code: 'token_error' | 'timeout' | 'connection_failed' | 'needs_reauth', message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

export { DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN, MIN_EXPIRES_IN } from './token-lifetime';

/** A token answer is a few kilobytes; a bigger one is refused while it is read (a 300 MB access_token was accepted). */
export const MAX_TOKEN_ANSWER_BYTES = 256 * 1024;

/** POST an RFC 6749 token request as application/x-www-form-urlencoded and read the JSON answer. */
export async function requestToken(req: TokenRequest, fetchFn: typeof fetch = fetch): Promise<TokenSet> {
  const body = new URLSearchParams(req.params);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (req.authMethod === 'client_secret_basic' && req.clientSecret !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${formEncode(req.clientId)}:${formEncode(req.clientSecret)}`).toString('base64')}`;
  } else {
    body.set('client_id', req.clientId);
    if (req.clientSecret !== undefined) body.set('client_secret', req.clientSecret);
  }
  const where = req.endpoint.host;
  // Everything secret this request carries, in every form a server could echo back (scrub-secrets.ts).
  const sent = sentSecretForms({
    secrets: [req.clientSecret, req.params.refresh_token],
    basicPairs: req.clientSecret === undefined ? [] : [[formEncode(req.clientId), formEncode(req.clientSecret)], [req.clientId, req.clientSecret]],
  });
  let res: Response;
  try {
    res = await fetchFn(req.endpoint, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(req.timeoutMs) });
  } catch (e) {
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
      throw new TokenRequestError('transient', 'timeout', `The token server ${where} did not answer within ${Math.round(req.timeoutMs / 1000)} s.`);
    }
    throw new TokenRequestError('transient', 'connection_failed', `The token server ${where} could not be reached: ${networkReason(e)}.`);
  }
  let text: string;
  try {
    text = await readCappedText(res, MAX_TOKEN_ANSWER_BYTES);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new TokenRequestError('refused', 'token_error', `The token server ${where} sent an answer larger than ${MAX_TOKEN_ANSWER_BYTES} bytes; it was not read.`);
    }
    throw new TokenRequestError('transient', 'connection_failed', `The answer of the token server ${where} broke off: ${networkReason(e)}.`);
  }
  const json = parseJson(text);
  if (!res.ok) throw answerError(res.status, json, where, sent);
  return parseTokenSet(json, where, sent);
}

function answerError(status: number, json: Record<string, unknown> | undefined, where: string, sent: readonly string[]): TokenRequestError {
  const errorText = typeof json?.error === 'string' ? scrubSecrets(json.error, sent) : '';
  const error = /^[\x20-\x7e]{1,64}$/.test(errorText) ? errorText : undefined;
  // Servers phrase descriptions for people, and some echo the request: scrubbed of every secret sent.
  const text = typeof json?.error_description === 'string' ? scrubSecrets(json.error_description, sent) : '';
  const description = text ? `: ${quote(text, 120)}` : '';
  const detail = { status, ...(error ? { error } : {}) };
  if (status >= 500 || status === 429) {
    return new TokenRequestError('transient', 'token_error', `The token server ${where} answered ${status}; the vault will try again.`, { detail });
  }
  if (error === 'invalid_grant' || error === 'invalid_client' || (status === 401 && !error)) {
    return new TokenRequestError('rejected', 'needs_reauth', `The token server ${where} refused the connection's credentials (${error ?? status})${description}: reconnect it on the Vault page.`, { detail });
  }
  return new TokenRequestError('refused', 'token_error', `The token server ${where} answered ${status}${error ? ` ${error}` : ''}${description}.`, { detail });
}

function parseTokenSet(json: Record<string, unknown> | undefined, where: string, sent: readonly string[]): TokenSet {
  const accessToken = json?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TokenRequestError('refused', 'token_error', `The token server ${where} answered without an access_token.`);
  }
  const tokenType = json?.token_type;
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw new TokenRequestError('refused', 'token_error', `The token server ${where} gave a token of type ${quote(scrubSecrets(tokenType, sent))}; only Bearer tokens are supported.`);
  }
  const set: TokenSet = { accessToken, expiresIn: tokenLifetime(json?.expires_in) };
  if (typeof json?.refresh_token === 'string' && json.refresh_token !== '') set.refreshToken = json.refresh_token;
  return set;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 6749 2.3.1: client id and secret are form-encoded before they are joined for Basic. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The network error's code (ECONNREFUSED…) or short reason, never the request it was making. */
function networkReason(e: unknown): string {
  const cause = e instanceof Error ? e.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return cause instanceof Error && cause.message.length <= 80 ? cause.message : 'network error';
}
