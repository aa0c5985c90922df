import { toB64 } from '../crypto/encoding';
import { signRuntimeApproval, verifyRuntimeApproval, type RuntimeApproval } from '../crypto/runtime-approval';
import { vaultSigningKeysOf, vaultSigningPublicKey } from '../crypto/vault-signing';
import { wipe } from '../crypto/wipe';

/**
 * The client side of runtime approvals (PROTOCOL.md, "Runtime approvals"), for the CLI, the
 * editor's unlock dialog and a page that lists runtimes: sign an approval with the signing key a
 * VSK derives, and check approvals read from a store before sealing a VSK to a runtime.
 */

/** What a client writes (PUT vault/vaults/{v}/approvals/{runtime}); the runtime adds approvedAt. */
export type ApprovalWrite = Pick<RuntimeApproval, 'vault' | 'runtime' | 'publicKey' | 'sig'>;

/** The approval of one runtime key for a vault, signed with the signing key derived from the VSK. */
export function signApproval(vsk: Uint8Array, vault: { id: string; share: string }, runtime: { id: string; publicKey: Uint8Array }): ApprovalWrite {
  const keys = vaultSigningKeysOf(vsk, vault);
  try {
    return {
      vault: vault.id, runtime: runtime.id, publicKey: toB64(runtime.publicKey),
      sig: signRuntimeApproval(keys.secretKey, vault.id, runtime.id, runtime.publicKey),
    };
  } finally {
    wipe(keys.secretKey);
  }
}

/**
 * Checks approvals (untrusted: read from a store or an API answer) against the signing key one VSK
 * derives for one vault. Check the VSK against the vault's public key first (sealUnlock does).
 */
export class ApprovalChecker {
  private readonly signPublicKey: Uint8Array;

  constructor(vsk: Uint8Array, private readonly vault: { id: string; share: string }) {
    this.signPublicKey = vaultSigningPublicKey(vsk, vault);
  }

  /** Whether one of `approvals` is a valid signature for exactly this runtime id and key (base64url). */
  approves(approvals: readonly unknown[], runtime: { id: string; publicKey: string }): boolean {
    const expect = { vault: this.vault.id, runtime: runtime.id, publicKey: runtime.publicKey };
    return approvals.some((a) => verifyRuntimeApproval(this.signPublicKey, a, expect));
  }
}
