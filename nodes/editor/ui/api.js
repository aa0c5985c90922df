// The vault admin API (PROTOCOL.md) from the editor. jQuery's ajax carries the editor's
// admin token (Node-RED sets it up), so every call goes through here.

/** An API failure: `code` and `message` from the protocol's error body. */
export class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

function call(method, path, body) {
  return new Promise((resolve, reject) => {
    $.ajax({
      method,
      url: path,
      cache: false,
      dataType: 'json',
      contentType: body === undefined ? undefined : 'application/json',
      data: body === undefined ? undefined : JSON.stringify(body),
    })
      .done((data) => resolve(data))
      .fail((xhr) => {
        // A 204 with dataType json lands here with status 204: that is a success.
        if (xhr.status >= 200 && xhr.status < 300) return resolve(undefined);
        const err = xhr.responseJSON && xhr.responseJSON.error;
        if (err && typeof err.message === 'string') reject(new ApiError(err.code, err.message, xhr.status));
        else if (xhr.status === 401 || xhr.status === 403) reject(new ApiError('forbidden', 'You are not allowed to do that: ask an admin for the vault permissions.', xhr.status));
        else reject(new ApiError('unreachable', `The Node-RED runtime did not answer (${xhr.status || 'no connection'}).`, xhr.status));
      });
  });
}

const enc = encodeURIComponent;

export const api = {
  runtime: () => call('GET', 'vault/runtime'),
  types: () => call('GET', 'vault/types'),
  vaults: () => call('GET', 'vault/vaults'),
  createVault: (record) => call('POST', 'vault/vaults', record),
  items: (vault) => call('GET', `vault/vaults/${enc(vault)}/items`),
  putItem: (vault, item, body) => call('PUT', `vault/vaults/${enc(vault)}/items/${enc(item)}`, body),
  deleteItem: (vault, item) => call('DELETE', `vault/vaults/${enc(vault)}/items/${enc(item)}`),
  unlock: (vault, sealed) => call('POST', `vault/vaults/${enc(vault)}/unlock`, { sealed }),
  lock: (vault) => call('POST', `vault/vaults/${enc(vault)}/lock`, {}),
};
