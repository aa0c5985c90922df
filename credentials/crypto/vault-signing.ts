import { VaultError } from '../errors';
import { concatBytes, fromB64, utf8 } from './encoding';
import { KEY_BYTES, LABEL_VAULT_SIGNING } from './labels';
import { sodium } from './sodium';

/** A vault's Ed25519 signing key pair. Never stored: whoever holds the VSK derives it. */
export interface VaultSigningKeys {
  publicKey: Uint8Array;
  /** 64 bytes (libsodium's seed || public key form); the caller wipes it. */
  secretKey: Uint8Array;
}

/**
 * signSeed = BLAKE2b-256(label \0 || share || vaultId, key = VSK);
 * keys = crypto_sign_seed_keypair(signSeed) (PROTOCOL.md, "Vault signing key").
 */
export function deriveVaultSigningKeys(vsk: Uint8Array, share: Uint8Array, vaultId: string): VaultSigningKeys {
  const s = sodium();
  const input = concatBytes(utf8(LABEL_VAULT_SIGNING), new Uint8Array([0]), share, utf8(vaultId));
  const seed = s.crypto_generichash(KEY_BYTES, input, vsk);
  try {
    const kp = s.crypto_sign_seed_keypair(seed);
    return { publicKey: kp.publicKey, secretKey: kp.privateKey };
  } finally {
    s.memzero(seed);
  }
}

/** The signing key pair of a vault record (its stored share). A malformed share is `store_corrupt`. */
export function vaultSigningKeysOf(vsk: Uint8Array, vault: { id: string; share: string }): VaultSigningKeys {
  const share = fromB64(vault.share, KEY_BYTES);
  if (!share) {
    throw new VaultError('store_corrupt', `The stored record of vault "${vault.id}" has a malformed share.`);
  }
  return deriveVaultSigningKeys(vsk, share, vault.id);
}

/** Only the public half, for checking approvals; the secret half is wiped at once. */
export function vaultSigningPublicKey(vsk: Uint8Array, vault: { id: string; share: string }): Uint8Array {
  const keys = vaultSigningKeysOf(vsk, vault);
  sodium().memzero(keys.secretKey);
  return keys.publicKey;
}
