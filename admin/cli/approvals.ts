import {
  signRuntimeApproval, toB64, vaultSigningKeysOf, vaultSigningPublicKey, verifyRuntimeApproval, wipe, type RuntimeApproval,
} from '../../credentials';
import type { PinState } from './pinning';

/**
 * The client side of runtime approvals (PROTOCOL.md, "Runtime approvals"). Here until the shared
 * protocol client (credentials/client/) exists; nothing else signs or checks an approval.
 */

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

/** Checks approvals read from a store against the signing key one VSK derives for one vault. */
export class ApprovalChecker {
  private readonly signPublicKey: Uint8Array;

  constructor(vsk: Uint8Array, private readonly vault: { id: string; share: string }) {
    this.signPublicKey = vaultSigningPublicKey(vsk, vault);
  }

  /** Whether one of `approvals` (untrusted) is a valid signature for exactly this runtime key. */
  approves(approvals: readonly unknown[], runtime: { id: string; publicKey: string }): boolean {
    const expect = { vault: this.vault.id, runtime: runtime.id, publicKey: runtime.publicKey };
    return approvals.some((a) => verifyRuntimeApproval(this.signPublicKey, a, expect));
  }
}

/**
 * Pins that stand for an identity the admin checked: an existing pin in known_runtimes, or a
 * fingerprint the admin wrote into a fleet file. A first contact (trust on first use) is not one.
 */
export function pinApproves(pin: PinState): boolean {
  return pin === 'pinned' || pin === 'fleet_file';
}
