import { formatVsk, newUnlockPayload, openVaultKeyPair, sealUnlockPayload, wipe } from '../../credentials';
import type { Connection } from './connect';
import { findVault } from './find-vault';
import type { RuntimeIdentity, VaultListing } from './runtime-api';

/** `{ sealed }` for PROTOCOL.md's unlock call: a fresh payload (new nonce, now) sealed to the runtime's key. */
export function sealedUnlockRequest(runtime: Pick<RuntimeIdentity, 'id' | 'publicKey'>, vaultId: string, vsk: Uint8Array): { sealed: string } {
  return { sealed: sealUnlockPayload(newUnlockPayload(runtime.id, vaultId, formatVsk(vsk)), runtime.publicKey) };
}

/**
 * Unlock a vault on a connected runtime. The key is first checked here against the vault's public
 * key, so a wrong key is reported as `wrong_secret` without being sent anywhere.
 */
export async function unlockVault(conn: Connection, vaultRef: string, vsk: Uint8Array): Promise<VaultListing> {
  const vault = await findVault(conn.api, vaultRef);
  const keys = openVaultKeyPair(vsk, vault); // throws wrong_secret
  wipe(keys.secretKey);
  const { sealed } = sealedUnlockRequest(conn.runtime, vault.id, vsk);
  await conn.api.unlock(vault.id, sealed);
  return vault;
}
