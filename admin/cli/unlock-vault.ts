import { ApprovalChecker, sealUnlock, signApproval, toB64 } from '../../credentials';
import { pinApproves } from './approvals';
import { toCliError, type CliError } from './cli-error';
import type { Connection } from './connect';
import { findVault } from './find-vault';
import type { VaultListing } from './runtime-api';

export interface UnlockOutcome {
  vault: VaultListing;
  /** Present when the runtime's pin stood for a checked identity: whether its approval was recorded. */
  approval?: { recorded: true } | { recorded: false; error: CliError };
}

/**
 * Unlock a vault on a connected runtime. The key is first checked here against the vault's public
 * key, so a wrong key is reported as `wrong_secret` without being sent anywhere. A runtime whose
 * fingerprint matched a pin is approved for the vault at once (PROTOCOL.md, "Runtime approvals");
 * failing to record that does not undo the unlock.
 */
export async function unlockVault(conn: Connection, vaultRef: string, vsk: Uint8Array): Promise<UnlockOutcome> {
  const vault = await findVault(conn.api, vaultRef);
  const { sealed } = sealUnlock(conn.runtime, vault, vsk); // throws wrong_secret before sending
  await conn.api.unlock(vault.id, sealed);
  if (!pinApproves(conn.pin)) return { vault };
  try {
    // Written only when missing: a write of the file store rewrites the whole file.
    const stored = await conn.api.approvals(vault.id, conn.runtime.id);
    const self = { id: conn.runtime.id, publicKey: toB64(conn.runtime.publicKey) };
    if (!new ApprovalChecker(vsk, vault).approves(stored, self)) await conn.api.putApproval(signApproval(vsk, vault, conn.runtime));
    return { vault, approval: { recorded: true } };
  } catch (e) {
    return { vault, approval: { recorded: false, error: toCliError(e) } };
  }
}
