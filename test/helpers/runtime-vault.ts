import { newVaultRecord, newVsk, type VaultRuntime } from '../../credentials';

/** Create a vault in a runtime's store; returns its VSK in text form. */
export async function addVaultTo(runtime: VaultRuntime, id: string, name: string, vsk = newVsk()): Promise<string> {
  const { record, vsk: text } = newVaultRecord(name, id, vsk);
  await runtime.store.createVault({ ...record, createdAt: new Date().toISOString() });
  return text;
}
