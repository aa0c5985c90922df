import { fromB64, isValidId, runtimeFingerprint, type VaultRecord } from '../../credentials';
import { CliError, cleanRemoteText } from './cli-error';
import { callJson, type HttpOptions } from './http-client';

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
    return checkIdentity(await callJson(this.base, 'GET', 'vault/runtime', undefined, this.http), this.base);
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
export async function loginForToken(base: URL, username: string, password: string, timeoutMs: number): Promise<string> {
  let answer: unknown;
  try {
    answer = await callJson(base, 'POST', 'auth/token', {
      client_id: 'node-red-admin', grant_type: 'password', scope: '*', username, password,
    }, { timeoutMs });
  } catch (e) {
    if (e instanceof CliError && e.code !== 'unreachable') {
      throw new CliError('auth_failed', `${base.origin} refused the login of user ${JSON.stringify(username)}.`, { cause: e });
    }
    throw e;
  }
  const token = typeof answer === 'object' && answer !== null ? (answer as { access_token?: unknown }).access_token : undefined;
  if (typeof token !== 'string' || token === '') {
    throw new CliError('unexpected_answer', `${base.href}auth/token did not answer an access token: is adminAuth on?`);
  }
  return token;
}
