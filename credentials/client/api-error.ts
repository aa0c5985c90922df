import { cleanRemoteText } from './remote-text';

/**
 * A failed admin API call. `code` is the protocol's code the runtime answered (its error body), or
 * the client's own: `unreachable` (no answer), `unauthorized` / `forbidden` (401 / 403 without a
 * body), `unexpected_answer` (anything else). Codes are strings, not VaultError's closed union: a
 * newer runtime may answer codes this client does not know.
 */
export class VaultApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status; 0 when there was no answer. */
    readonly status: number,
    /** True when code and message are the runtime's own (from its `{ error: { code, message } }`). */
    readonly fromRuntime = false,
    options?: { cause?: unknown },
    /** secrets_required: the secret fields a write must send again (names checked, at most 32). */
    readonly fields: readonly string[] = [],
  ) {
    super(message, options);
    this.name = 'VaultApiError';
  }
}

export function isVaultApiError(e: unknown, code?: string): e is VaultApiError {
  return e instanceof VaultApiError && (code === undefined || e.code === code);
}

const CODE = /^[a-z][a-z0-9_]{0,39}$/;
const FIELD = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** The field names an answer lists, if it is a list of field names (anything else: none). */
function fieldNames(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 32) return [];
  return value.every((f) => typeof f === 'string' && FIELD.test(f)) ? (value as string[]) : [];
}

/** The error of a non-2xx answer: the runtime's code and message when it sent them (cleaned), else by status. */
export function answerError(method: string, path: string, status: number, body: unknown): VaultApiError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? cleanRemoteText(message) : `HTTP ${status}`;
    if (typeof code === 'string' && CODE.test(code)) return new VaultApiError(code, text, status, true, undefined, fieldNames((error as { fields?: unknown }).fields));
    return new VaultApiError('unexpected_answer', `${text} (code ${JSON.stringify(cleanRemoteText(String(code), 40))}, HTTP ${status})`, status);
  }
  if (status === 401) return new VaultApiError('unauthorized', 'The runtime asks for Node-RED admin credentials, or refused the token.', status);
  if (status === 403) return new VaultApiError('forbidden', `The runtime refused ${method} ${path} to this user.`, status);
  if (status === 404) return new VaultApiError('unexpected_answer', `${path} does not exist: no vault API at this admin root.`, status);
  return new VaultApiError('unexpected_answer', `${method} ${path} answered HTTP ${status}.`, status);
}
