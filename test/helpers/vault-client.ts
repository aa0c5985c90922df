import {
  deriveVaultKeyPair, formatVsk, fromB64, newId, newShare, newUnlockPayload, newVsk, sealField, sealUnlockPayload,
  sodiumReady, toB64, type SealedField, type UnlockPayload,
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
    const id = vaultId ?? newId();
    const vsk = newVsk();
    const share = newShare();
    const keys = deriveVaultKeyPair(vsk, share, id);
    const res = await this.call('POST', 'vault/vaults', { id, name, share: toB64(share), publicKey: toB64(keys.publicKey) });
    if (res.status !== 201) throw new Error(`create vault: ${res.status} ${res.text}`);
    return { id, name, vsk: formatVsk(vsk), publicKey: keys.publicKey };
  }

  async putItem(
    vault: TestVault,
    item: { id?: string; name: string; type: string; plain?: Record<string, string>; secret?: Record<string, string | null>; ifVersion?: number },
  ): Promise<{ status: number; body: any; id: string }> {
    const id = item.id ?? newId();
    const secret: Record<string, SealedField | null> = {};
    for (const [k, v] of Object.entries(item.secret ?? {})) secret[k] = v === null ? null : sealField(vault.publicKey, vault.id, id, k, v);
    const res = await this.call('PUT', `vault/vaults/${vault.id}/items/${id}`, {
      name: item.name, type: item.type, plain: item.plain ?? {}, secret, ...(item.ifVersion === undefined ? {} : { ifVersion: item.ifVersion }),
    });
    return { ...res, id };
  }

  async runtimeInfo(): Promise<{ id: string; publicKey: string; fingerprint: string }> {
    const res = await this.call('GET', 'vault/runtime');
    if (res.status !== 200) throw new Error(`runtime: ${res.status} ${res.text}`);
    return res.body;
  }

  /** Seal a payload to the runtime's key, as the editor and the CLI do. */
  async sealFor(vaultId: string, secret: string, patch: Partial<UnlockPayload> = {}): Promise<string> {
    const rt = await this.runtimeInfo();
    const payload = { ...newUnlockPayload(rt.id, vaultId, secret), ...patch };
    return sealUnlockPayload(payload, fromB64(rt.publicKey, 32)!);
  }

  async unlock(vault: TestVault, secret = vault.vsk): Promise<{ status: number; body: any }> {
    return this.call('POST', `vault/vaults/${vault.id}/unlock`, { sealed: await this.sealFor(vault.id, secret) });
  }

  lock(vault: TestVault) {
    return this.call('POST', `vault/vaults/${vault.id}/lock`, {});
  }
}
