import { fromB64 } from '../crypto/encoding';
import { isValidId } from '../crypto/ids';
import { KEY_BYTES } from '../crypto/labels';
import { runtimeFingerprint } from '../crypto/runtime-identity';
import { newProofChallenge } from '../crypto/runtime-proof';
import type { ApprovalWrite } from './approvals';
import { VaultApiError, answerError } from './api-error';
import { cleanRemoteText } from './remote-text';
import type { HttpMethod, Transport } from './transport';
import type {
  ConnectionTypeInfo, ItemMetadata, ItemWriteBody, NewVaultRecord, RuntimeIdentity, VaultListing,
} from './wire-types';

const enc = encodeURIComponent;

/**
 * The admin HTTP API of PROTOCOL.md over an injected transport. Every failure is a VaultApiError;
 * answers the client relies on (the runtime's identity, the vault list) are shape-checked, since a
 * runtime (or whatever answers in its place) is not trusted to send what it should.
 */
export class VaultApi {
  constructor(private readonly transport: Transport) {}

  /** A JSON call: the answer's body on 2xx, else the runtime's error. */
  async call(method: HttpMethod, path: string, body?: unknown): Promise<unknown> {
    const answer = await this.transport({ method, path, body });
    if (answer.status >= 200 && answer.status < 300) return answer.json;
    throw answerError(method, path, answer.status, answer.json);
  }

  /** GET vault/runtime: protocol 1, and a fingerprint that really is the announced key's. */
  async runtime(): Promise<RuntimeIdentity> {
    return checkIdentity(await this.call('GET', 'vault/runtime'));
  }

  async types(): Promise<ConnectionTypeInfo[]> {
    return this.list<ConnectionTypeInfo>('vault/types', 'connection types');
  }

  async vaults(): Promise<VaultListing[]> {
    const vaults = await this.list<unknown>('vault/vaults', 'vaults');
    if (!vaults.every(isVaultListing)) throw unexpected('vault/vaults did not answer a list of vaults.');
    return vaults;
  }

  /** POST vault/vaults (make the record with newVaultRecord). */
  async createVault(record: NewVaultRecord): Promise<VaultListing> {
    const created = await this.call('POST', 'vault/vaults', record);
    const answered = { ...(isObject(created) ? created : {}), unlocked: false };
    return isVaultListing(answered) ? answered : { ...record, unlocked: false };
  }

  async items(vaultId: string): Promise<ItemMetadata[]> {
    return this.list<ItemMetadata>(`vault/vaults/${enc(vaultId)}/items`, 'items');
  }

  /** PUT vault/vaults/{v}/items/{i} (make the body with sealItemWrite). */
  async putItem(vaultId: string, itemId: string, body: ItemWriteBody): Promise<ItemMetadata> {
    return (await this.call('PUT', `vault/vaults/${enc(vaultId)}/items/${enc(itemId)}`, body)) as ItemMetadata;
  }

  async deleteItem(vaultId: string, itemId: string): Promise<void> {
    await this.call('DELETE', `vault/vaults/${enc(vaultId)}/items/${enc(itemId)}`);
  }

  /** POST vault/vaults/{v}/unlock with a payload sealed by sealUnlock. */
  async unlock(vaultId: string, sealed: string): Promise<{ vault: string; unlocked: boolean }> {
    return (await this.call('POST', `vault/vaults/${enc(vaultId)}/unlock`, { sealed })) as { vault: string; unlocked: boolean };
  }

  async lock(vaultId: string): Promise<{ vault: string; unlocked: boolean }> {
    return (await this.call('POST', `vault/vaults/${enc(vaultId)}/lock`, {})) as { vault: string; unlocked: boolean };
  }

  /**
   * POST vault/runtime/proof: that whatever answers holds the private key of `runtime` (identity
   * is public and can be copied). Ask it before sending a password, a token or a sealed key.
   */
  async proveIdentity(runtime: Pick<RuntimeIdentity, 'id' | 'publicKey'>): Promise<void> {
    const challenge = newProofChallenge(runtime.id, runtime.publicKey);
    const answer = await this.call('POST', 'vault/runtime/proof', { sealed: challenge.sealed });
    if (!challenge.verify(isObject(answer) ? answer.proof : undefined)) {
      throw new VaultApiError('fingerprint_mismatch', 'The server shows a runtime\'s identity but does not hold its key.', 200);
    }
  }

  /**
   * GET vault/vaults/{v}/approvals (optionally one runtime's): as stored, untrusted. Check them with
   * ApprovalChecker before sealing a key to a runtime.
   */
  async approvals(vaultId: string, runtimeId?: string): Promise<unknown[]> {
    const query = runtimeId === undefined ? '' : `?runtime=${enc(runtimeId)}`;
    return this.list<unknown>(`vault/vaults/${enc(vaultId)}/approvals${query}`, 'approvals');
  }

  /** PUT vault/vaults/{v}/approvals/{runtime} with an approval made by signApproval. */
  async putApproval(approval: ApprovalWrite): Promise<void> {
    await this.call('PUT', `vault/vaults/${enc(approval.vault)}/approvals/${enc(approval.runtime)}`, { publicKey: approval.publicKey, sig: approval.sig });
  }

  async deleteApproval(vaultId: string, runtimeId: string): Promise<void> {
    await this.call('DELETE', `vault/vaults/${enc(vaultId)}/approvals/${enc(runtimeId)}`);
  }

  private async list<T>(path: string, what: string): Promise<T[]> {
    const answer = await this.call('GET', path);
    if (!Array.isArray(answer)) throw unexpected(`${path} did not answer a list of ${what}.`);
    return answer as T[];
  }
}

function unexpected(message: string): VaultApiError {
  return new VaultApiError('unexpected_answer', message, 200);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isVaultListing(v: unknown): v is VaultListing {
  if (!isObject(v)) return false;
  return isValidId(v.id) && typeof v.name === 'string' && typeof v.share === 'string' && typeof v.publicKey === 'string' && typeof v.unlocked === 'boolean';
}

function checkIdentity(answer: unknown): RuntimeIdentity {
  const o = isObject(answer) ? answer : {};
  if (o.protocol !== 1) {
    const spoken = typeof o.protocol === 'number' ? `vault protocol ${o.protocol}` : 'no vault protocol this client knows';
    throw new VaultApiError('protocol_mismatch', `The runtime speaks ${spoken}; this client speaks protocol 1.`, 200);
  }
  const publicKey = fromB64(o.publicKey, KEY_BYTES);
  if (!isValidId(o.id) || typeof o.name !== 'string' || !publicKey || typeof o.fingerprint !== 'string') {
    throw unexpected('vault/runtime did not answer { id, name, publicKey, fingerprint, protocol }.');
  }
  const fingerprint = runtimeFingerprint(publicKey);
  if (fingerprint !== o.fingerprint) {
    throw new VaultApiError('fingerprint_mismatch', 'The runtime announced a fingerprint that is not its public key\'s.', 200);
  }
  const identity: RuntimeIdentity = { id: o.id, name: cleanRemoteText(o.name, 80), publicKey, fingerprint };
  // Booleans only: whatever else a runtime sends there is not taken for protection.
  if (typeof o.adminAuth === 'boolean') identity.adminAuth = o.adminAuth;
  if (typeof o.adminGuard === 'boolean') identity.adminGuard = o.adminGuard;
  return identity;
}
