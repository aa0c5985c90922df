import {
  fromB64, newId, newUnlockPayload, newVaultRecord, sealItemWrite, sealUnlockPayload, sodiumReady, type ItemInput, type Transport,
  type UnlockPayload,
} from '../../credentials';

/** One HTTP call against a vault admin API: path is relative to the admin root, e.g. "vault/vaults". */
export type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any; text: string }>;

/** An admin API reached with fetch (a real Node-RED), with an optional bearer token. */
export function fetchCall(adminUrl: string, token?: string): Call {
  const base = adminUrl.endsWith('/') ? adminUrl : `${adminUrl}/`;
  return async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    return { status: res.status, body: parsed, text };
  };
}

/** The admin API of node-red-node-test-helper (supertest on its httpAdmin app). */
export function helperCall(request: () => any): Call {
  return async (method, path, body) => {
    let r = request()[method.toLowerCase()](`/${path}`);
    if (body !== undefined) r = r.set('content-type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
    const res = await r;
    return { status: res.status, body: res.body, text: res.text };
  };
}

export interface TestVault {
  id: string;
  name: string;
  vsk: string;
  publicKey: Uint8Array;
}

/** Does what the editor and the CLI do, so tests exercise the API exactly as clients will. */
export class VaultTestClient {
  constructor(readonly call: Call) {}

  async createVault(name = 'Test vault', vaultId?: string): Promise<TestVault> {
    await sodiumReady();
    const { record, vsk } = newVaultRecord(name, vaultId);
    const res = await this.call('POST', 'vault/vaults', record);
    if (res.status !== 201) throw new Error(`create vault: ${res.status} ${res.text}`);
    return { id: record.id, name, vsk, publicKey: fromB64(record.publicKey, 32)! };
  }

  /** An item write sealed by the client (credentials/client), sent as it is; the answer's status is the caller's to check. */
  async putItem(vault: TestVault, item: ItemInput & { id?: string }): Promise<{ status: number; body: any; id: string }> {
    const id = item.id ?? newId();
    const res = await this.call('PUT', `vault/vaults/${vault.id}/items/${id}`, sealItemWrite(vault, id, item));
    return { ...res, id };
  }

  async runtimeInfo(): Promise<{ id: string; publicKey: string; fingerprint: string }> {
    const res = await this.call('GET', 'vault/runtime');
    if (res.status !== 200) throw new Error(`runtime: ${res.status} ${res.text}`);
    return res.body;
  }

  /**
   * A payload sealed to the runtime's key, its key NOT checked first and `patch` applied: for tests
   * of what the runtime itself refuses (its unlock table). Clients use sealUnlock, which checks.
   */
  async sealFor(vaultId: string, secret: string, patch: Partial<UnlockPayload> = {}): Promise<string> {
    const rt = await this.runtimeInfo();
    return sealedPayload({ id: rt.id, publicKey: fromB64(rt.publicKey, 32)! }, vaultId, secret, patch);
  }

  async unlock(vault: TestVault, secret = vault.vsk): Promise<{ status: number; body: any }> {
    return this.call('POST', `vault/vaults/${vault.id}/unlock`, { sealed: await this.sealFor(vault.id, secret) });
  }

  lock(vault: TestVault) {
    return this.call('POST', `vault/vaults/${vault.id}/lock`, {});
  }
}

/** The unlock step without the client's key check (see VaultTestClient.sealFor). */
export function sealedPayload(runtime: { id: string; publicKey: Uint8Array }, vaultId: string, secret: string, patch: Partial<UnlockPayload> = {}): string {
  return sealUnlockPayload({ ...newUnlockPayload(runtime.id, vaultId, secret), ...patch }, runtime.publicKey);
}

/** The client's Transport over a test Call (supertest or fetch), for tests that drive VaultApi. */
export function callTransport(call: Call): Transport {
  return async ({ method, path, body }) => {
    const res = await call(method, path, body);
    return { status: res.status, json: res.body };
  };
}
