import { VaultApiError } from './api-error';
import { cleanRemoteText } from './remote-text';
import type { Transport } from './transport';

export interface FetchTransportOptions {
  /** A Node-RED admin access token, sent as `Authorization: Bearer`. */
  token?: string;
  /** No answer within this time is `unreachable`. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A Transport over the platform's fetch (Node 20+, browsers) to the admin root `base`
 * ("https://host:1880/" or with its httpAdminRoot). Redirects are refused: a runtime's API does not
 * move, and following one would send the token elsewhere.
 */
export function fetchTransport(base: URL | string, options: FetchTransportOptions = {}): Transport {
  const root = new URL(base);
  const doFetch = options.fetch ?? ((input: string | URL | Request, init?: RequestInit) => fetch(input, init));
  return async ({ method, path, body, headers }) => {
    const url = new URL(path, root);
    const all: Record<string, string> = { accept: 'application/json', ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    if (options.token) all.authorization = `Bearer ${options.token}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method, headers: all, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'error',
        signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
      });
    } catch (e) {
      throw new VaultApiError('unreachable', `${method} ${url.href} failed: ${networkReason(e, options.timeoutMs)}.`, 0, false, { cause: e });
    }
    const text = await res.text().catch(() => '');
    return { status: res.status, json: parseJson(text) };
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function networkReason(e: unknown, timeoutMs: number | undefined): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cleanRemoteText(cause.message, 120);
  return e instanceof Error ? cleanRemoteText(e.message, 120) : 'network error';
}
