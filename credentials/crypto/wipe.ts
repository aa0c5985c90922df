import { sodium } from './sodium';

/** Overwrite key material or decrypted bytes with zeros (sodium_memzero). */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) if (b) sodium().memzero(b);
}

export function bytesToString(bytes: Uint8Array): string {
  return sodium().to_string(bytes);
}
