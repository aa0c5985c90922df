// The editor's vault client: credentials/client's VaultApi (from the crypto bundle, loaded on first
// use) over jQuery's ajax, which carries the editor's admin token (Node-RED sets it up).
import type { Transport, VaultApi } from '../browser-crypto';
import { loadCrypto } from './crypto-loader';

export interface EditorClient {
  /** The protocol's client side and crypto (credentials/client, credentials/crypto). */
  c: NrVaultCryptoModule;
  api: VaultApi;
}

/** Every HTTP answer is the client's to judge; only no answer at all rejects. */
function ajaxTransport(c: NrVaultCryptoModule): Transport {
  return (request) => new Promise((resolve, reject) => {
    $.ajax({
      method: request.method,
      url: request.path,
      cache: false,
      dataType: 'json',
      headers: request.headers,
      contentType: request.body === undefined ? undefined : 'application/json',
      data: request.body === undefined ? undefined : JSON.stringify(request.body),
    })
      .done((data, _text, xhr) => resolve({ status: xhr.status, json: data }))
      // A 204 (no body) with dataType json lands here too, with its status.
      .fail((xhr) => {
        if (xhr.status > 0) resolve({ status: xhr.status, json: xhr.responseJSON });
        else reject(new c.VaultApiError('unreachable', 'The Node-RED runtime did not answer (no connection).', 0));
      });
  });
}

let client: Promise<EditorClient> | null = null;

export function vaultClient(): Promise<EditorClient> {
  if (!client) {
    client = loadCrypto().then((c) => ({ c, api: new c.VaultApi(ajaxTransport(c)) }));
    client.catch(() => { client = null; });
  }
  return client;
}
