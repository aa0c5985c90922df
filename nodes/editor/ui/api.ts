// The vault admin API (PROTOCOL.md) as the editor's views call it: credentials/client's VaultApi,
// and the one place that words a failure for the person looking at the editor.
import { vaultClient } from './vault-client';
import type { ItemMetadata, ItemWriteBody, NewVaultRecord, VaultInfo } from './wire-types';

export const api = {
  types: async () => (await vaultClient()).api.types(),
  vaults: async (): Promise<VaultInfo[]> => (await vaultClient()).api.vaults(),
  createVault: async (record: NewVaultRecord): Promise<VaultInfo> => (await vaultClient()).api.createVault(record),
  items: async (vault: string): Promise<ItemMetadata[]> => (await vaultClient()).api.items(vault),
  putItem: async (vault: string, item: string, body: ItemWriteBody): Promise<ItemMetadata> => (await vaultClient()).api.putItem(vault, item, body),
  deleteItem: async (vault: string, item: string): Promise<void> => (await vaultClient()).api.deleteItem(vault, item),
  lock: async (vault: string) => (await vaultClient()).api.lock(vault),
};

/** A failure's protocol code and HTTP status, when it is a VaultApiError (or a VaultError: code only). */
export function failureOf(e: unknown): { code: string; status: number; fromRuntime: boolean } | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, status, fromRuntime } = e as Error & { code?: unknown; status?: unknown; fromRuntime?: unknown };
  if (typeof code !== 'string') return undefined;
  return { code, status: typeof status === 'number' ? status : 0, fromRuntime: fromRuntime === true };
}

/** The message of anything thrown, for showing it. */
export function messageOf(e: unknown): string {
  const f = failureOf(e);
  if (f && !f.fromRuntime && (f.code === 'forbidden' || f.code === 'unauthorized')) {
    return 'You are not allowed to do that: ask an admin for the vault permissions.';
  }
  return e instanceof Error ? e.message : String(e);
}
