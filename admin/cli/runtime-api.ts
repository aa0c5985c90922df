import {
  VaultApi, fetchTransport, isVaultApiError, type ApprovalWrite, type NewVaultRecord, type RuntimeIdentity, type VaultListing,
} from '../../credentials';
import { CliError, isKnownCode } from './cli-error';
import type { Scope } from './scopes';

export type { RuntimeIdentity, VaultListing } from '../../credentials';

export interface HttpOptions {
  token?: string;
  timeoutMs: number;
}

/**
 * The calls of PROTOCOL.md's HTTP API that the command line makes, on one runtime:
 * credentials/client's VaultApi over Node's fetch. Every failure becomes a CliError that names
 * the runtime, for the terminal.
 */
export class RuntimeApi {
  private readonly api: VaultApi;

  constructor(readonly base: URL, http: HttpOptions) {
    this.api = new VaultApi(fetchTransport(base, { token: http.token, timeoutMs: http.timeoutMs }));
  }

  async runtime(): Promise<RuntimeIdentity> {
    try {
      return await this.api.runtime();
    } catch (e) {
      // 0.1.0 answered its identity to signed-in users only: it cannot be checked before credentials go.
      if (isVaultApiError(e) && (e.code === 'unauthorized' || e.code === 'forbidden')) throw identityNeedsCredentials(this.base, e);
      throw this.cliError(e, 'GET', 'vault/runtime');
    }
  }

  /**
   * That the server holds the private key of `runtime` (docs/protocol-notes.md, "Runtime identity
   * proof"): anyone can copy a public identity, only the key's holder answers the challenge.
   */
  async proveIdentity(runtime: RuntimeIdentity): Promise<void> {
    try {
      await this.api.proveIdentity(runtime);
    } catch (e) {
      if (isVaultApiError(e) && (e.code === 'unauthorized' || e.code === 'forbidden' || (e.code === 'unexpected_answer' && !e.fromRuntime && e.status !== 200))) {
        throw identityNeedsCredentials(this.base, e);
      }
      if (isVaultApiError(e) && (e.code === 'bad_seal' || e.code === 'fingerprint_mismatch')) throw impostor(this.base, e);
      throw this.cliError(e, 'POST', 'vault/runtime/proof');
    }
  }

  approvals(vaultId: string, runtimeId?: string): Promise<unknown[]> {
    return this.wrap('GET', `vault/vaults/${vaultId}/approvals`, () => this.api.approvals(vaultId, runtimeId));
  }

  putApproval(approval: ApprovalWrite): Promise<void> {
    return this.wrap('PUT', `vault/vaults/${approval.vault}/approvals/${approval.runtime}`, () => this.api.putApproval(approval));
  }

  deleteApproval(vaultId: string, runtimeId: string): Promise<void> {
    return this.wrap('DELETE', `vault/vaults/${vaultId}/approvals/${runtimeId}`, () => this.api.deleteApproval(vaultId, runtimeId));
  }

  vaults(): Promise<VaultListing[]> {
    return this.wrap('GET', 'vault/vaults', () => this.api.vaults());
  }

  async createVault(record: NewVaultRecord): Promise<void> {
    await this.wrap('POST', 'vault/vaults', () => this.api.createVault(record));
  }

  async unlock(vaultId: string, sealed: string): Promise<void> {
    await this.wrap('POST', `vault/vaults/${vaultId}/unlock`, () => this.api.unlock(vaultId, sealed));
  }

  async lock(vaultId: string): Promise<void> {
    await this.wrap('POST', `vault/vaults/${vaultId}/lock`, () => this.api.lock(vaultId));
  }

  /** Node-RED's adminAuth login: a password for an access token (`POST {admin}auth/token`). */
  async login(username: string, password: string, scopes: readonly Scope[]): Promise<string> {
    let answer: unknown;
    try {
      // Only the permissions this command needs (space-separated, as OAuth2 and Node-RED read them).
      answer = await this.api.call('POST', 'auth/token', {
        client_id: 'node-red-admin', grant_type: 'password', scope: scopes.join(' '), username, password,
      });
    } catch (e) {
      if (isVaultApiError(e) && e.code !== 'unreachable') {
        throw new CliError('auth_failed', `${this.base.origin} refused the login of user ${JSON.stringify(username)} with the permissions ${scopes.join(', ')}.`, { cause: e });
      }
      throw this.cliError(e, 'POST', 'auth/token');
    }
    const token = typeof answer === 'object' && answer !== null ? (answer as { access_token?: unknown }).access_token : undefined;
    if (typeof token !== 'string' || token === '') {
      throw new CliError('unexpected_answer', `${this.base.href}auth/token did not answer an access token: is adminAuth on?`);
    }
    return token;
  }

  private async wrap<T>(method: string, path: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw this.cliError(e, method, path);
    }
  }

  /** A client failure in the terminal's terms: the runtime's own code when nr-vault knows it, the URL otherwise. */
  private cliError(e: unknown, method: string, path: string): unknown {
    if (!isVaultApiError(e)) return e;
    const url = new URL(path, this.base);
    if (e.fromRuntime) {
      return isKnownCode(e.code)
        ? new CliError(e.code, e.message, { cause: e })
        : new CliError('unexpected_answer', `${e.message} (code ${JSON.stringify(e.code)}, HTTP ${e.status})`, { cause: e });
    }
    switch (e.code) {
      case 'unreachable': return new CliError('unreachable', e.message, { cause: e });
      case 'unauthorized': return new CliError('unauthorized', `${url.origin} asks for Node-RED admin credentials, or refused the token.`, { cause: e });
      case 'forbidden': return new CliError('forbidden', `${url.origin} refused ${method} ${url.pathname} to this user.`, { cause: e });
    }
    if (e.status === 404) return new CliError('unexpected_answer', `${url.href} does not exist: no vault API at this admin root.`, { cause: e });
    if (e.status !== 200) return new CliError('unexpected_answer', `${method} ${url.href} answered HTTP ${e.status}.`, { cause: e });
    // The answer's shape or the identity it announced (protocol_mismatch, fingerprint_mismatch, unexpected_answer).
    return new CliError(isKnownCode(e.code) ? e.code : 'unexpected_answer', `${e.message} (${this.base.href})`, { cause: e });
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

/** Node-RED's adminAuth login for a token limited to `scopes` (no token is sent with it). */
export function loginForToken(base: URL, username: string, password: string, timeoutMs: number, scopes: readonly Scope[]): Promise<string> {
  return new RuntimeApi(base, { timeoutMs }).login(username, password, scopes);
}
