/**
 * How the client reaches a runtime's admin API. The CLI passes fetchTransport (Node's fetch), the
 * editor a wrapper of its own ($.ajax carries the editor's admin token), tests their own.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Relative to the admin root, e.g. "vault/vaults". */
  path: string;
  /** Sent as JSON when present. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  /** The parsed JSON body; undefined when the body was empty or not JSON. */
  json: unknown;
}

/** One HTTP exchange. A network failure rejects (fetchTransport: VaultApiError `unreachable`). */
export type Transport = (request: HttpRequest) => Promise<HttpAnswer>;
