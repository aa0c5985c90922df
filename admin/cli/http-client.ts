import { CliError, cleanRemoteText, isKnownCode } from './cli-error';

export interface HttpOptions {
  token?: string;
  timeoutMs: number;
}

/** A JSON call to a runtime's admin API with Node's fetch; every failure is a CliError. */
export async function callJson(base: URL, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, options: HttpOptions): Promise<unknown> {
  const url = new URL(path, base);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs), redirect: 'error',
    });
  } catch (e) {
    throw new CliError('unreachable', `${method} ${url.href} failed: ${networkReason(e, options.timeoutMs)}.`, { cause: e });
  }
  const text = await res.text().catch(() => '');
  const parsed = parseJson(text);
  if (res.ok) {
    if (parsed === undefined && text !== '') throw new CliError('unexpected_answer', `${method} ${url.href} answered ${res.status} with something that is not JSON.`);
    return parsed;
  }
  throw answerError(method, url, res.status, parsed);
}

function answerError(method: string, url: URL, status: number, body: unknown): CliError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? cleanRemoteText(message) : `HTTP ${status}`;
    if (isKnownCode(code)) return new CliError(code, text);
    return new CliError('unexpected_answer', `${text} (code ${JSON.stringify(cleanRemoteText(String(code), 40))}, HTTP ${status})`);
  }
  if (status === 401) return new CliError('unauthorized', `${url.origin} asks for Node-RED admin credentials, or refused the token.`);
  if (status === 403) return new CliError('forbidden', `${url.origin} refused ${method} ${url.pathname} to this user.`);
  if (status === 404) return new CliError('unexpected_answer', `${url.href} does not exist: no vault API at this admin root.`);
  return new CliError('unexpected_answer', `${method} ${url.href} answered HTTP ${status}.`);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function networkReason(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cleanRemoteText(cause.message, 120);
  return e instanceof Error ? cleanRemoteText(e.message, 120) : 'network error';
}
