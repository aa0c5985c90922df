import {
  fromB64, vaultSigningPublicKey, verifyRuntimeApproval, wipe, type RuntimeApproval,
} from './crypto';
import { VaultError } from './errors';
import type { Keyring } from './keyring';
import type { ApprovalFilter } from './store/records';
import type { VaultStore } from './store/vault-store';

/**
 * The runtime's side of runtime approvals (PROTOCOL.md, "Runtime approvals"): it keeps what VSK
 * holders signed, with the registry of its store, and shows it to them. It is not the authority:
 * whoever seals a VSK verifies the signature first. Where this runtime holds the vault's VSK, it
 * refuses an approval whose signature does not verify, so that a user without the VSK cannot
 * replace a good approval with a bad one here.
 */
export class RuntimeApprovals {
  constructor(private readonly store: VaultStore, private readonly keyring: Keyring) {}

  /** Approvals as stored (shape-checked, unverified), of a vault and/or a runtime. */
  list(filter: ApprovalFilter): Promise<RuntimeApproval[]> {
    return this.store.listApprovals(filter);
  }

  async record(vaultId: string, runtimeId: string, publicKey: string, sig: string): Promise<RuntimeApproval> {
    const vault = await this.store.getVault(vaultId);
    if (!vault) throw new VaultError('unknown_vault', `There is no vault "${vaultId}" on this runtime's store.`);
    const approval: RuntimeApproval = { vault: vaultId, runtime: runtimeId, publicKey, sig, approvedAt: new Date().toISOString() };
    const vsk = this.keyring.secretOf(vaultId);
    if (vsk) {
      let signPublicKey: Uint8Array | undefined;
      try {
        signPublicKey = vaultSigningPublicKey(vsk, vault);
      } finally {
        wipe(vsk);
      }
      if (!verifyRuntimeApproval(signPublicKey, approval, approval)) {
        throw new VaultError('not_approved', `That approval of runtime "${runtimeId}" is not signed with the signing key of vault "${vaultId}".`);
      }
    }
    await this.store.putApproval(approval);
    return approval;
  }

  async revoke(vaultId: string, runtimeId: string): Promise<void> {
    if (!(await this.store.getVault(vaultId))) throw new VaultError('unknown_vault', `There is no vault "${vaultId}" on this runtime's store.`);
    if (!(await this.store.deleteApproval(vaultId, runtimeId))) {
      throw new VaultError('not_found', `Vault "${vaultId}" has no approval of runtime "${runtimeId}".`);
    }
  }
}

/** The body of an approval write: a 32-byte public key and a 64-byte signature, base64url. */
export function checkApprovalShape(publicKey: unknown, sig: unknown): { publicKey: string; sig: string } {
  if (!fromB64(publicKey, 32)) throw new VaultError('bad_request', 'publicKey must be the runtime\'s public key, base64url of 32 bytes.');
  if (!fromB64(sig, 64)) throw new VaultError('bad_request', 'sig must be an Ed25519 signature, base64url of 64 bytes.');
  return { publicKey: publicKey as string, sig: sig as string };
}
