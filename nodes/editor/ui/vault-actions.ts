// What the dialogs ask of a vault, done by credentials/client: a new vault's record made in the
// browser (only the public record is sent), an unlock sealed to this runtime's key after the
// pasted key was checked against the vault, and item writes with every secret sealed to the vault.
// Nothing here seals or builds a record itself.
import { api, failureOf } from './api';
import { thisRuntime } from './this-runtime';
import { vaultClient } from './vault-client';
import type { ItemMetadata, VaultInfo } from './wire-types';

/** Make a vault: VSK, share and key pair in the browser; only the public record is sent. */
export async function createVault(name: string): Promise<{ vault: VaultInfo; vsk: string }> {
  const { c } = await vaultClient();
  const { record, vsk } = c.newVaultRecord(name);
  return { vault: await api.createVault(record), vsk };
}

/** What unlockVault found when this runtime has no approval for the vault in a shared store. */
export const NOT_APPROVED = 'not_approved';

/**
 * Unlock a vault on this runtime with a pasted VSK. A malformed key or another vault's key is
 * refused here, before anything is sent (invalid_secret_format, wrong_secret). With a shared store
 * (other runtimes read it, and anyone who can write it can add a runtime), this runtime's approval
 * for the vault (PROTOCOL.md, "Runtime approvals") is checked with the key first: without one the
 * answer is NOT_APPROVED and nothing is sent, unless the person chose to go on (`withoutApproval`).
 */
export async function unlockVault(vault: VaultInfo, pasted: string, opts: { withoutApproval?: boolean } = {}): Promise<'unlocked' | typeof NOT_APPROVED> {
  const { c, api: client } = await vaultClient();
  const runtime = await thisRuntime();
  let body: { sealed: string };
  try {
    body = c.sealUnlock(runtime, vault, pasted);
  } catch (e) {
    const code = failureOf(e)?.code;
    if (code === 'invalid_secret_format') throw new Error(c.MESSAGE_INVALID_SECRET_FORMAT, { cause: e });
    if (code === 'wrong_secret') throw new Error(c.MESSAGE_WRONG_SECRET, { cause: e });
    throw e;
  }
  if (runtime.sharedStore && !opts.withoutApproval) {
    const approvals = await client.approvals(vault.id, runtime.id);
    const bytes = c.parseVsk(pasted);
    let approved: boolean;
    try {
      approved = new c.ApprovalChecker(bytes, vault).approves(approvals, { id: runtime.id, publicKey: c.toB64(runtime.publicKey) });
    } finally {
      c.wipe(bytes);
    }
    if (!approved) return NOT_APPROVED;
  }
  await client.unlock(vault.id, body.sealed);
  return 'unlocked';
}

/** What a person saves of a connection: secret values in clear (`null` removes one). */
export interface ConnectionInput {
  name: string;
  type: string;
  plain: Record<string, string>;
  secret: Record<string, string | null>;
}

/** Add (no `editing`) or change a connection, its secrets sealed to the vault in the browser. */
export async function saveConnection(vault: VaultInfo, editing: ItemMetadata | null, input: ConnectionInput): Promise<ItemMetadata> {
  const { c } = await vaultClient();
  const id = editing ? editing.id : c.newId();
  const body = c.sealItemWrite(vault, id, { ...input, ...(editing ? { ifVersion: editing.version } : {}) });
  return api.putItem(vault.id, id, body);
}
