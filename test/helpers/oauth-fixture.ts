import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fromB64, newId, newVaultRecord, sealField, sodiumReady, VaultRuntime, type DecryptedItem, type SealedField, type VaultSettings,
} from '../../credentials';
import type { TestVault } from './vault-client';

/**
 * VaultRuntimes in temp user directories, with vaults and items written as the editor writes them
 * (fields sealed to the vault's public key, through VaultRuntime.writeItem); all closed after.
 */
export function useRuntimes() {
  const started: VaultRuntime[] = [];
  const dirs: string[] = [];
  const newUserDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'nr-vault-oauth-'));
    dirs.push(dir);
    return dir;
  };
  return {
    newUserDir,
    async start(userDir = newUserDir(), settings: VaultSettings = {}): Promise<VaultRuntime> {
      const rt = await VaultRuntime.start(userDir, { oauth: { retryDelaysMs: [20, 50], backoffMs: 50 }, ...settings });
      started.push(rt);
      return rt;
    },
    async stop(rt: VaultRuntime): Promise<void> {
      started.splice(started.indexOf(rt), 1);
      await rt.close();
    },
    async cleanup(): Promise<void> {
      for (const rt of started.splice(0)) await rt.close();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createVault(rt: VaultRuntime, name = 'OAuth vault'): Promise<TestVault> {
  await sodiumReady();
  const { record, vsk } = newVaultRecord(name);
  await rt.store.createVault({ ...record, createdAt: new Date().toISOString() });
  return { id: record.id, name, vsk, publicKey: fromB64(record.publicKey, 32)! };
}

/** Write an item as a client does: secrets sealed, `null` removes one; `plain` replaces as a whole. */
export async function putItem(
  rt: VaultRuntime,
  vault: TestVault,
  item: { id?: string; name?: string; type: string; plain: Record<string, string>; secret?: Record<string, string | null> },
): Promise<string> {
  const id = item.id ?? newId();
  const secret: Record<string, SealedField | null> = {};
  for (const [k, v] of Object.entries(item.secret ?? {})) secret[k] = v === null ? null : sealField(vault.publicKey, { vault: vault.id, item: id, field: k, type: item.type, plain: item.plain }, v);
  await rt.writeItem(vault.id, id, { name: item.name ?? 'API', type: item.type, plain: item.plain, secret });
  return id;
}

/** What a node gets: the item read through the keyring, with a fresh token for OAuth2 types. */
export async function nodeRead(rt: VaultRuntime, vault: TestVault, itemId: string): Promise<DecryptedItem> {
  return rt.tokens.withFreshToken(await rt.keyring.getItem(vault.id, itemId));
}
