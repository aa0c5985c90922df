import type { ItemRecord, RuntimeRegistration, VaultRecord } from './records';
import { parseItem, parseRuntime, parseVault, type Parsed } from './record-shapes';

/**
 * Rows as the tables of postgres-migrations hold them; pg parses jsonb and integer columns. The
 * jsonb columns hold whatever a writer of the database put there, so they are `unknown` until
 * record-shapes has checked them.
 */
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
  plain: unknown;
  secret: unknown;
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

export function vaultFromRow(r: VaultRow): Parsed<VaultRecord> {
  return parseVault({ id: r.id, name: r.name, share: r.share, publicKey: r.public_key, createdAt: r.created_at });
}

export function itemFromRow(r: ItemRow): Parsed<ItemRecord> {
  return parseItem(
    { id: r.id, vault: r.vault, name: r.name, type: r.type, plain: r.plain, secret: r.secret, version: r.version, updatedAt: r.updated_at, state: r.state },
    { vault: r.vault, id: r.id },
  );
}

/** The parameters of an item row, in ITEM_COLUMNS order; jsonb goes in as JSON text. */
export function itemParams(item: ItemRecord): unknown[] {
  return [item.id, item.vault, item.name, item.type, JSON.stringify(item.plain), JSON.stringify(item.secret),
    item.version, item.updatedAt, item.state ?? null];
}

export function runtimeFromRow(r: RuntimeRow): Parsed<RuntimeRegistration> {
  return parseRuntime({ id: r.id, name: r.name, publicKey: r.public_key, fingerprint: r.fingerprint, adminUrl: r.admin_url, lastSeen: r.last_seen });
}
