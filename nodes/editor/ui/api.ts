// The vault admin API (PROTOCOL.md) from the editor. jQuery's ajax carries the editor's
// admin token (Node-RED sets it up), so every call goes through here.
import type { ItemMetadata, ItemWrite, NewVaultRecord, RuntimeInfo, VaultInfo, ConnectionType } from './wire-types';

/** An API failure: `code` and `message` from the protocol's error body. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

function protocolError(body: unknown): { code: string; message: string } | undefined {
  const err = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (!err || typeof err !== 'object') return undefined;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return typeof message === 'string' ? { code: typeof code === 'string' ? code : 'bad_request', message } : undefined;
}

function call<T>(method: Method, path: string, body?: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    $.ajax({
      method,
      url: path,
      cache: false,
      dataType: 'json',
      contentType: body === undefined ? undefined : 'application/json',
      data: body === undefined ? undefined : JSON.stringify(body),
    })
      .done((data) => resolve(data as T))
      .fail((xhr) => {
        // A 204 with dataType json lands here with status 204: that is a success.
        if (xhr.status >= 200 && xhr.status < 300) return resolve(undefined as T);
        const err = protocolError(xhr.responseJSON);
        if (err) reject(new ApiError(err.code, err.message, xhr.status));
        else if (xhr.status === 401 || xhr.status === 403) reject(new ApiError('forbidden', 'You are not allowed to do that: ask an admin for the vault permissions.', xhr.status));
        else reject(new ApiError('unreachable', `The Node-RED runtime did not answer (${xhr.status || 'no connection'}).`, xhr.status));
      });
  });
}

const enc = encodeURIComponent;

export const api = {
  runtime: () => call<RuntimeInfo>('GET', 'vault/runtime'),
  types: () => call<ConnectionType[]>('GET', 'vault/types'),
  vaults: () => call<VaultInfo[]>('GET', 'vault/vaults'),
  createVault: (record: NewVaultRecord) => call<VaultInfo | undefined>('POST', 'vault/vaults', record),
  items: (vault: string) => call<ItemMetadata[]>('GET', `vault/vaults/${enc(vault)}/items`),
  putItem: (vault: string, item: string, body: ItemWrite) => call<ItemMetadata>('PUT', `vault/vaults/${enc(vault)}/items/${enc(item)}`, body),
  deleteItem: (vault: string, item: string) => call<void>('DELETE', `vault/vaults/${enc(vault)}/items/${enc(item)}`),
  unlock: (vault: string, sealed: string) => call<{ vault: string; unlocked: boolean }>('POST', `vault/vaults/${enc(vault)}/unlock`, { sealed }),
  lock: (vault: string) => call<{ vault: string; unlocked: boolean }>('POST', `vault/vaults/${enc(vault)}/lock`, {}),
};

/** The message of anything thrown, for showing it. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
