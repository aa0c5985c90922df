import { sodium } from './sodium';

/**
 * Overwrite what libsodium's C code left on its WebAssembly stack (not the heap: zeroing-free.ts
 * handles that). Some functions keep a copy on the stack after they return: ChaCha20 XORs the last
 * partial block of a message in a 64-byte stack buffer and does not wipe it, so the tail of the
 * last decrypted field stayed readable in `HEAPU8` after a lock.
 *
 * The module exports no stack pointer, so the stack cannot be located and zeroed from outside.
 * Instead each kind of call this package makes with secrets runs once more on a public all-zero
 * key: every call from JavaScript starts at the same stack address, and libsodium's code is
 * constant-time (its memory accesses do not depend on key or data), so the rerun writes the same
 * stack bytes the real call wrote, with values derived from the public dummy. Lengths are chosen
 * so that partial-block buffers are filled completely (63 bytes of a 64-byte block).
 *
 * Costs a few scalar multiplications (1 to 5 ms): run at lock and after a failed unlock, not per operation.
 */
export function scrubWasmStack(): void {
  const s = sodium();
  const key = new Uint8Array(32);
  const nonce = new Uint8Array(24);
  const tail = new Uint8Array(63);
  // Field open and seal (XChaCha20-Poly1305).
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(tail, tail, null, nonce, key);
  s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, tail, nonce, key);
  // Vault key pair from the VSK (keyed BLAKE2b, X25519 from a seed), runtime public key.
  s.crypto_generichash(32, tail, key);
  const pair = s.crypto_box_seed_keypair(key);
  s.crypto_scalarmult_base(key);
  // Sealed boxes: wrapped field keys, unlock payloads, remembered secrets.
  s.crypto_box_seal_open(s.crypto_box_seal(tail, pair.publicKey), pair.publicKey, pair.privateKey);
  // Ed25519, for keys derived from the VSK to sign with.
  const signer = s.crypto_sign_seed_keypair(key);
  s.crypto_sign_verify_detached(s.crypto_sign_detached(tail, signer.privateKey), tail, signer.publicKey);
}
