import { concatBytes, toB64, utf8 } from './encoding';
import { KEY_BYTES, LABEL_RUNTIME, RUNTIME_ID_BYTES } from './labels';
import { sodium } from './sodium';

export interface RuntimeKeys {
  id: string;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** A runtime's identity: an X25519 key pair and a random id, made once on first start. */
export function newRuntimeKeys(): RuntimeKeys {
  const s = sodium();
  const kp = s.crypto_box_keypair();
  return { id: toB64(s.randombytes_buf(RUNTIME_ID_BYTES)), publicKey: kp.publicKey, secretKey: kp.privateKey };
}

/** fingerprint = base64url(BLAKE2b-256(label \0 || publicKey)). */
export function runtimeFingerprint(publicKey: Uint8Array): string {
  const input = concatBytes(utf8(LABEL_RUNTIME), new Uint8Array([0]), publicKey);
  return toB64(sodium().crypto_generichash(KEY_BYTES, input, null));
}

/** The public key a runtime's secret key belongs to (to check a key file). */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return sodium().crypto_scalarmult_base(secretKey);
}
