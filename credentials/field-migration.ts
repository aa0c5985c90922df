import { bytesToString, isFormat1, openFieldBytes, sealField, wipe, type SealedField, type VaultKeyPair } from './crypto';
import { isVaultError } from './errors';
import type { VaultStore } from './store/vault-store';

export interface MigrationContext {
  /** Still unlocked with the same keys (a lock stops the migration). */
  isOpen(): boolean;
  keys: VaultKeyPair;
  /** Where the runtime's log hears what was rewritten. */
  warn(message: string): void;
}

/**
 * Rewrite the format-1 secret fields of an unlocked vault in format 2 (PROTOCOL.md, "Destination
 * binding"): each is opened and sealed again, bound to where its item sends it now, to the key
 * the VSK derives. An item written meanwhile (`conflict`) or whose field does not open is left as
 * it is and tried again at the next unlock. Resolves true when nothing is left that a later unlock
 * could rewrite, false when the vault could not be read, an item changed meanwhile, or it was locked.
 */
export async function migrateVault(store: VaultStore, vaultId: string, ctx: MigrationContext): Promise<boolean> {
  let items;
  try {
    items = await store.listItems(vaultId);
  } catch {
    return false; // the store is away or the vault gone: the next unlock tries again
  }
  let fields = 0;
  let connections = 0;
  let left = 0;
  let changedMeanwhile = false;
  for (const item of items) {
    const old = Object.keys(item.secret).filter((k) => isFormat1(item.secret[k]));
    if (old.length === 0) continue;
    if (!ctx.isOpen()) return false;
    try {
      const secret: Record<string, SealedField> = {};
      for (const field of old) {
        const place = { vault: vaultId, item: item.id, field, type: item.type, plain: item.plain };
        const bytes = openFieldBytes(ctx.keys, place, item.secret[field]);
        try {
          secret[field] = sealField(ctx.keys.publicKey, place, bytesToString(bytes));
        } finally {
          wipe(bytes);
        }
      }
      await store.putItem(vaultId, item.id, { name: item.name, type: item.type, plain: item.plain, secret, ifVersion: item.version });
      fields += old.length;
      connections++;
    } catch (e) {
      left++;
      if (isVaultError(e, 'conflict') || isVaultError(e, 'store_unavailable')) changedMeanwhile = true;
    }
  }
  if (connections > 0 || left > 0) {
    ctx.warn(`nr-vault: rewrote ${fields} secret field(s) of ${connections} connection(s) in vault "${vaultId}" in format 2, bound to where each connection sends them`
      + (left > 0 ? `; ${left} connection(s) could not be rewritten (a field does not open, or it changed meanwhile) and are tried again at the next unlock.` : '.'));
  }
  // Done when nothing is left that a later unlock could still rewrite (a field that does not open never will).
  return ctx.isOpen() && !changedMeanwhile;
}
