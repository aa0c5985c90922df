import { VaultError } from '../errors';
import type { ItemRecord, ItemWrite } from './records';

/**
 * The one definition of what a write does to a stored item, shared by every store so that they
 * cannot drift apart: version check, plain replaced, secrets merged, version + 1.
 */
export function applyItemWrite(
  vaultId: string,
  itemId: string,
  current: ItemRecord | undefined,
  write: ItemWrite,
  now: Date = new Date(),
): ItemRecord {
  const stored = current?.version ?? 0;
  if (write.ifVersion !== undefined && write.ifVersion !== stored) {
    throw new VaultError(
      'conflict',
      `Item "${itemId}" is at version ${stored}, not ${write.ifVersion}: someone changed it meanwhile; reload it and try again.`,
    );
  }
  const secret = { ...(current?.secret ?? {}) };
  for (const [name, value] of Object.entries(write.secret)) {
    if (value === null) delete secret[name];
    else secret[name] = value.v === 2 ? { v: 2, wrapped: value.wrapped, nonce: value.nonce, ct: value.ct } : { wrapped: value.wrapped, nonce: value.nonce, ct: value.ct };
  }
  const record: ItemRecord = {
    id: itemId,
    vault: vaultId,
    name: write.name,
    type: write.type,
    plain: { ...write.plain },
    secret,
    version: stored + 1,
    updatedAt: now.toISOString(),
  };
  const state = write.state === undefined ? current?.state : write.state ?? undefined;
  if (state) record.state = state;
  return record;
}

/** What a delete checks, in every store: the item exists (`not_found`), and its version if named (`conflict`). */
export function checkItemDelete(vaultId: string, itemId: string, current: { version: number } | undefined, ifVersion?: number): void {
  if (!current) throw notFound(vaultId, itemId);
  if (ifVersion !== undefined && current.version !== ifVersion) {
    throw new VaultError('conflict', `Item "${itemId}" is at version ${current.version}, not ${ifVersion}: reload it and try again.`);
  }
}

export function notFound(vaultId: string, itemId?: string): VaultError {
  return itemId === undefined
    ? new VaultError('unknown_vault', `There is no vault "${vaultId}" in this store.`)
    : new VaultError('not_found', `Vault "${vaultId}" has no item "${itemId}": it was deleted, or the id is wrong.`);
}

/**
 * What a write replaces when the stored item is malformed (changed outside nr-vault): nothing of
 * it is kept but its version count, so the write repairs it and versions keep growing.
 */
export function malformedBase(version: unknown): ItemRecord {
  const v = Number.isSafeInteger(version) && (version as number) > 0 ? (version as number) : 0;
  return { id: '', vault: '', name: '', type: 'custom', plain: {}, secret: {}, version: v, updatedAt: '' };
}
