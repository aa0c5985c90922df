import { deriveVaultKeyPair, formatVsk, newShare, newVsk, toB64, wipe, type VaultRuntime } from '../../credentials';

/** Create a vault in a runtime's store; returns its VSK in text form. */
export async function addVaultTo(runtime: VaultRuntime, id: string, name: string, vsk = newVsk()): Promise<string> {
  const share = newShare();
  const keys = deriveVaultKeyPair(vsk, share, id);
  wipe(keys.secretKey);
  await runtime.store.createVault({ id, name, share: toB64(share), publicKey: toB64(keys.publicKey), createdAt: new Date().toISOString() });
  return formatVsk(vsk);
}
