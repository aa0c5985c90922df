import { join } from 'node:path';
import { VaultError, quote } from '../errors';
import { FileStore } from './file-store';
import type { VaultStore } from './vault-store';

export type StoreConfig =
  | { type?: 'file'; path?: string }
  | { type: 'postgres'; connectionString?: string; schema?: string };

/** The store the settings ask for: the JSON file in the user directory unless told otherwise. */
export async function createStore(config: StoreConfig | undefined, userDir: string): Promise<VaultStore> {
  const type = config?.type ?? 'file';
  if (type === 'file') {
    return new FileStore((config as { path?: string } | undefined)?.path ?? join(userDir, 'nr-vault.json'));
  }
  throw new VaultError('bad_request', `Unknown vault store type ${quote(type)}: use "file" or "postgres".`);
}
