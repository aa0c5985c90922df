import type { SealedField } from '../crypto/field';
import type { ItemRecord, RuntimeRegistration, VaultRecord } from './records';

/** Rows as the tables of postgres-migrations hold them; pg parses jsonb and integer columns. */
export interface VaultRow {
  id: string;
  name: string;
  share: string;
  public_key: string;
  created_at: string;
}

export interface ItemRow {
  id: string;
  vault: string;
  name: string;
  type: string;
  plain: Record<string, string>;
  secret: Record<string, SealedField>;
  version: number;
  updated_at: string;
  state: string | null;
}

export interface RuntimeRow {
  id: string;
  name: string;
  public_key: string;
  fingerprint: string;
  admin_url: string | null;
  last_seen: Date;
}

export const VAULT_COLUMNS = 'id, name, share, public_key, created_at';
export const ITEM_COLUMNS = 'id, vault, name, type, plain, secret, version, updated_at, state';
export const RUNTIME_COLUMNS = 'id, name, public_key, fingerprint, admin_url, last_seen';

export function vaultFromRow(r: VaultRow): VaultRecord {
  return { id: r.id, name: r.name, share: r.share, publicKey: r.public_key, createdAt: r.created_at };
}

export function itemFromRow(r: ItemRow): ItemRecord {
  const item: ItemRecord = {
    id: r.id, vault: r.vault, name: r.name, type: r.type, plain: r.plain, secret: r.secret,
    version: r.version, updatedAt: r.updated_at,
  };
  if (r.state === 'needs_reauth') item.state = r.state;
  return item;
}

/** The parameters of an item row, in ITEM_COLUMNS order; jsonb goes in as JSON text. */
export function itemParams(item: ItemRecord): unknown[] {
  return [item.id, item.vault, item.name, item.type, JSON.stringify(item.plain), JSON.stringify(item.secret),
    item.version, item.updatedAt, item.state ?? null];
}

export function runtimeFromRow(r: RuntimeRow): RuntimeRegistration {
  const runtime: RuntimeRegistration = {
    id: r.id, name: r.name, publicKey: r.public_key, fingerprint: r.fingerprint, lastSeen: r.last_seen.toISOString(),
  };
  if (r.admin_url !== null) runtime.adminUrl = r.admin_url;
  return runtime;
}
