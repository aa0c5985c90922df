import { VaultError } from '../errors';
import { concatBytes, fromB64, toB64, utf8 } from './encoding';
import { KEY_BYTES, LABEL_REMEMBERED } from './labels';
import { sodium } from './sodium';

/**
 * A VSK sealed to the runtime's own public key, bound to its vault id:
 * `crypto_box_seal("nr-vault/v1 remembered\0" || vaultId || "\0" || vsk, runtimePublicKey)`.
 */
export function sealRememberedSecret(vaultId: string, vsk: Uint8Array, runtimePublicKey: Uint8Array): string {
  const plain = concatBytes(rememberedPrefix(vaultId), vsk);
  try {
    return toB64(sodium().crypto_box_seal(plain, runtimePublicKey));
  } finally {
    sodium().memzero(plain);
  }
}

/** Opens what `sealRememberedSecret` made for this vault; anything else is `tampered`. The caller wipes the result. */
export function openRememberedSecret(
  vaultId: string,
  sealed: string,
  runtime: { publicKey: Uint8Array; secretKey: Uint8Array },
): Uint8Array {
  const s = sodium();
  const prefix = rememberedPrefix(vaultId);
  const box = fromB64(sealed);
  let plain: Uint8Array | undefined;
  if (box && box.length === s.crypto_box_SEALBYTES + prefix.length + KEY_BYTES) {
    try {
      plain = s.crypto_box_seal_open(box, runtime.publicKey, runtime.secretKey);
    } catch {
      plain = undefined;
    }
  }
  if (!plain || !s.memcmp(plain.subarray(0, prefix.length), prefix)) {
    if (plain) s.memzero(plain);
    throw new VaultError('tampered', `The remembered secret of vault "${vaultId}" does not open with this runtime's key.`);
  }
  const vsk = plain.slice(prefix.length);
  s.memzero(plain);
  return vsk;
}

function rememberedPrefix(vaultId: string): Uint8Array {
  return concatBytes(utf8(LABEL_REMEMBERED), new Uint8Array([0]), utf8(vaultId), new Uint8Array([0]));
}
