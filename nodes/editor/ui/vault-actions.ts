// What the dialogs ask of a vault, done by credentials/client: a new vault's record made in the
// browser (only the public record is sent), an unlock sealed to this runtime's key after the
// pasted key was checked against the vault, and item writes with every secret sealed to the vault.
// Nothing here seals or builds a record itself.
import { api, failureOf } from './api';
import { vaultClient } from './vault-client';
import type { ItemMetadata, VaultInfo } from './wire-types';

/** Make a vault: VSK, share and key pair in the browser; only the public record is sent. */
export async function createVault(name: string): Promise<{ vault: VaultInfo; vsk: string }> {
  const { c } = await vaultClient();
  const { record, vsk } = c.newVaultRecord(name);
  return { vault: await api.createVault(record), vsk };
}

/**
 * Unlock a vault on this runtime with a pasted VSK. A malformed key or another vault's key is
 * refused here, before anything is sent (invalid_secret_format, wrong_secret).
 */
export async function unlockVault(vault: VaultInfo, pasted: string): Promise<void> {
  const { c, api: client } = await vaultClient();
  let body: { sealed: string };
  try {
    body = c.sealUnlock(await client.runtime(), vault, pasted);
  } catch (e) {
    const code = failureOf(e)?.code;
    if (code === 'invalid_secret_format') throw new Error(c.MESSAGE_INVALID_SECRET_FORMAT, { cause: e });
    if (code === 'wrong_secret') throw new Error(c.MESSAGE_WRONG_SECRET, { cause: e });
    throw e;
  }
  await client.unlock(vault.id, body.sealed);
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
