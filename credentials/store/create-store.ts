import { join } from 'node:path';
import { VaultError, quote } from '../errors';
import { FileStore } from './file-store';
import type { PostgresStoreOptions } from './postgres-config';
import type { StoreRegistry } from './postgres-registry';
import type { RuntimeRegistration } from './records';
import type { StoreHooks, VaultStore } from './vault-store';

export type StoreConfig =
  | { type?: 'file'; path?: string }
  | ({ type: 'postgres' } & PostgresStoreOptions);

/** The store the settings ask for: the JSON file in the user directory unless told otherwise. */
export async function createStore(config: StoreConfig | undefined, userDir: string, hooks: StoreHooks = {}): Promise<VaultStore> {
  if (config?.type === 'postgres') {
    // Loaded only when configured, so that a file-store runtime never loads pg.
    const { PostgresStore } = await import('./postgres-store.js');
    return new PostgresStore(config, hooks);
  }
  const type = config?.type ?? 'file';
  if (type === 'file') {
    return new FileStore((config as { path?: string } | undefined)?.path ?? join(userDir, 'nr-vault.json'), hooks);
  }
  throw new VaultError('bad_request', `Unknown vault store type ${quote(type)}: use "file" or "postgres".`);
}

/**
 * The runtime registry of a shared (PostgreSQL) store, read without opening a store: no schema is
 * created, nothing listens. `not_found` if no runtime ever used that store and schema.
 */
export async function readRuntimeRegistry(options: PostgresStoreOptions): Promise<RuntimeRegistration[]> {
  const { listRegisteredRuntimes } = await import('./postgres-registry.js');
  return listRegisteredRuntimes(options);
}

/** The registry, the vault records and the runtime approvals of a shared store, read the same way. */
export async function readStoreRegistry(options: PostgresStoreOptions): Promise<StoreRegistry> {
  const { readStoreRegistry: read } = await import('./postgres-registry.js');
  return read(options);
}
