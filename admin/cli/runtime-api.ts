import { fromB64, isValidId, newProofChallenge, runtimeFingerprint, type ApprovalWrite, type VaultRecord } from '../../credentials';
import { CliError, cleanRemoteText } from './cli-error';
import { callJson, type HttpOptions } from './http-client';
import type { Scope } from './scopes';

/** `GET vault/runtime`, checked: protocol 1, and a fingerprint that is really the key's. */
export interface RuntimeIdentity {
  id: string;
  name: string;
  publicKey: Uint8Array;
  fingerprint: string;
}

export interface VaultListing extends VaultRecord {
  unlocked: boolean;
}

/** The calls of PROTOCOL.md's HTTP API that the command line makes, on one runtime. */
export class RuntimeApi {
  constructor(readonly base: URL, private readonly http: HttpOptions) {}

  async runtime(): Promise<RuntimeIdentity> {
    let answer: unknown;
    try {
      answer = await callJson(this.base, 'GET', 'vault/runtime', undefined, this.http);
    } catch (e) {
      // 0.1.0 answered its identity to signed-in users only: it cannot be checked before credentials go.
      if (e instanceof CliError && (e.code === 'unauthorized' || e.code === 'forbidden')) throw identityNeedsCredentials(this.base, e);
      throw e;
    }
    return checkIdentity(answer, this.base);
  }

  /**
   * That the server holds the private key of `runtime` (docs/protocol-notes.md, "Runtime identity
   * proof"): anyone can copy a public identity, only the key's holder answers the challenge.
   */
  async proveIdentity(runtime: RuntimeIdentity): Promise<void> {
    const challenge = newProofChallenge(runtime.id, runtime.publicKey);
    let answer: unknown;
    try {
      answer = await callJson(this.base, 'POST', 'vault/runtime/proof', { sealed: challenge.sealed }, this.http);
    } catch (e) {
      if (e instanceof CliError && (e.code === 'unauthorized' || e.code === 'forbidden' || e.code === 'unexpected_answer')) {
        throw identityNeedsCredentials(this.base, e);
      }
      if (e instanceof CliError && e.code === 'bad_seal') throw impostor(this.base, e);
      throw e;
    }
    const proof = typeof answer === 'object' && answer !== null ? (answer as { proof?: unknown }).proof : undefined;
    if (!challenge.verify(proof)) throw impostor(this.base);
  }

  async approvals(vaultId: string, runtimeId?: string): Promise<unknown[]> {
    const query = runtimeId === undefined ? '' : `?runtime=${encodeURIComponent(runtimeId)}`;
    const answer = await callJson(this.base, 'GET', `vault/vaults/${encodeURIComponent(vaultId)}/approvals${query}`, undefined, this.http);
    if (!Array.isArray(answer)) throw new CliError('unexpected_answer', `${this.base.href}vault/vaults/${vaultId}/approvals did not answer a list.`);
    return answer as unknown[];
  }

  async putApproval(approval: ApprovalWrite): Promise<void> {
    const path = `vault/vaults/${encodeURIComponent(approval.vault)}/approvals/${encodeURIComponent(approval.runtime)}`;
    await callJson(this.base, 'PUT', path, { publicKey: approval.publicKey, sig: approval.sig }, this.http);
  }

  async deleteApproval(vaultId: string, runtimeId: string): Promise<void> {
    await callJson(this.base, 'DELETE', `vault/vaults/${encodeURIComponent(vaultId)}/approvals/${encodeURIComponent(runtimeId)}`, undefined, this.http);
  }

  async vaults(): Promise<VaultListing[]> {
    const answer = await callJson(this.base, 'GET', 'vault/vaults', undefined, this.http);
    if (!Array.isArray(answer) || !answer.every(isVaultListing)) {
      throw new CliError('unexpected_answer', `${this.base.href}vault/vaults did not answer a list of vaults.`);
    }
    return answer;
  }

  async createVault(record: { id: string; name: string; share: string; publicKey: string }): Promise<void> {
    await callJson(this.base, 'POST', 'vault/vaults', record, this.http);
  }

  async unlock(vaultId: string, sealed: string): Promise<void> {
    await callJson(this.base, 'POST', `vault/vaults/${encodeURIComponent(vaultId)}/unlock`, { sealed }, this.http);
  }

  async lock(vaultId: string): Promise<void> {
    await callJson(this.base, 'POST', `vault/vaults/${encodeURIComponent(vaultId)}/lock`, {}, this.http);
  }
}

function identityNeedsCredentials(base: URL, cause: unknown): CliError {
  return new CliError(
    'protocol_mismatch',
    `The runtime at ${base.href} does not prove its identity without credentials (an older @nr-vault/node-red-vault): nr-vault sends a password or token only to a runtime that proved it holds its pinned key.`,
    { cause },
  );
}

function impostor(base: URL, cause?: unknown): CliError {
  return new CliError('fingerprint_mismatch', `The server at ${base.href} shows a runtime's identity but does not hold its key: nothing was sent to it.`, cause === undefined ? undefined : { cause });
}

function checkIdentity(answer: unknown, base: URL): RuntimeIdentity {
  const o = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  if (o.protocol !== 1) {
    const spoken = typeof o.protocol === 'number' ? `vault protocol ${o.protocol}` : 'no vault protocol this nr-vault knows';
    throw new CliError('protocol_mismatch', `The runtime at ${base.href} speaks ${spoken}; this nr-vault speaks protocol 1.`);
  }
  const publicKey = fromB64(o.publicKey, 32);
  if (!isValidId(o.id) || typeof o.name !== 'string' || !publicKey || typeof o.fingerprint !== 'string') {
    throw new CliError('unexpected_answer', `${base.href}vault/runtime did not answer { id, name, publicKey, fingerprint, protocol }.`);
  }
  const fingerprint = runtimeFingerprint(publicKey);
  if (fingerprint !== o.fingerprint) {
    throw new CliError('fingerprint_mismatch', `The runtime at ${base.href} announced a fingerprint that is not its public key's.`);
  }
  return { id: o.id, name: cleanRemoteText(o.name, 80), publicKey, fingerprint };
}

function isVaultListing(v: unknown): v is VaultListing {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return isValidId(o.id) && typeof o.name === 'string' && typeof o.share === 'string' && typeof o.publicKey === 'string' && typeof o.unlocked === 'boolean';
}

/** Node-RED's adminAuth login: a password for an access token (`POST {admin}auth/token`). */
export async function loginForToken(base: URL, username: string, password: string, timeoutMs: number, scopes: readonly Scope[]): Promise<string> {
  let answer: unknown;
  try {
    // Only the permissions this command needs (space-separated, as OAuth2 and Node-RED read them).
    answer = await callJson(base, 'POST', 'auth/token', {
      client_id: 'node-red-admin', grant_type: 'password', scope: scopes.join(' '), username, password,
    }, { timeoutMs });
  } catch (e) {
    if (e instanceof CliError && e.code !== 'unreachable') {
      throw new CliError('auth_failed', `${base.origin} refused the login of user ${JSON.stringify(username)} with the permissions ${scopes.join(', ')}.`, { cause: e });
    }
    throw e;
  }
  const token = typeof answer === 'object' && answer !== null ? (answer as { access_token?: unknown }).access_token : undefined;
  if (typeof token !== 'string' || token === '') {
    throw new CliError('unexpected_answer', `${base.href}auth/token did not answer an access token: is adminAuth on?`);
  }
  return token;
}
