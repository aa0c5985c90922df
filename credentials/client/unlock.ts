import { openVaultKeyPair } from '../crypto/vault-keys';
import { newUnlockPayload, sealUnlockPayload } from '../crypto/unlock-payload';
import { formatVsk, parseVsk } from '../crypto/vsk';
import { wipe } from '../crypto/wipe';

/** Whom an unlock is sealed to: a runtime's id and public key (from VaultApi.runtime(), checked). */
export interface UnlockTarget {
  id: string;
  publicKey: Uint8Array;
}

/** The vault's public record: enough to check a VSK. */
export interface VaultKeyRecord {
  id: string;
  share: string;
  publicKey: string;
}

/**
 * The body of an unlock call for `vault` on `runtime`. The key (bytes, or text as pasted) is first
 * checked here against the vault's public key, so a mistyped or wrong key is reported
 * (`invalid_secret_format`, `wrong_secret`) without being sent anywhere; then a fresh payload (new
 * nonce, now) is sealed to the runtime's key. The caller wipes the bytes it passed.
 */
export function sealUnlock(runtime: UnlockTarget, vault: VaultKeyRecord, vsk: Uint8Array | string): { sealed: string } {
  const bytes = typeof vsk === 'string' ? parseVsk(vsk) : vsk;
  try {
    wipe(openVaultKeyPair(bytes, vault).secretKey); // throws wrong_secret
    return { sealed: sealUnlockPayload(newUnlockPayload(runtime.id, vault.id, formatVsk(bytes)), runtime.publicKey) };
  } finally {
    if (typeof vsk === 'string') wipe(bytes);
  }
}
