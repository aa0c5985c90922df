import { VaultError } from '../errors';
import { concatBytes, fromB64, utf8 } from './encoding';
import { KEY_BYTES, LABEL_VAULT_KEYPAIR } from './labels';
import { sodium } from './sodium';

export interface VaultKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** seed = BLAKE2b-256(label \0 || share || vaultId, key = VSK); keys = crypto_box_seed_keypair(seed). */
export function deriveVaultKeyPair(vsk: Uint8Array, share: Uint8Array, vaultId: string): VaultKeyPair {
  const s = sodium();
  const input = concatBytes(utf8(LABEL_VAULT_KEYPAIR), new Uint8Array([0]), share, utf8(vaultId));
  const seed = s.crypto_generichash(KEY_BYTES, input, vsk);
  const kp = s.crypto_box_seed_keypair(seed);
  s.memzero(seed);
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

/** A new share (the stored half of the key material). */
export function newShare(): Uint8Array {
  return sodium().randombytes_buf(KEY_BYTES);
}

/**
 * Derive the key pair and check it against the vault record's public key. A wrong VSK is
 * `wrong_secret`; the derived secret key is wiped before throwing.
 */
export function openVaultKeyPair(vsk: Uint8Array, vault: { id: string; share: string; publicKey: string }): VaultKeyPair {
  const share = fromB64(vault.share, KEY_BYTES);
  const expected = fromB64(vault.publicKey, KEY_BYTES);
  if (!share || !expected) {
    throw new VaultError('store_corrupt', `The stored record of vault "${vault.id}" has a malformed share or public key.`);
  }
  const kp = deriveVaultKeyPair(vsk, share, vault.id);
  if (!sodium().memcmp(kp.publicKey, expected)) {
    sodium().memzero(kp.secretKey);
    throw new VaultError('wrong_secret', `That Vault Secret Key does not belong to vault "${vault.id}".`);
  }
  return kp;
}
