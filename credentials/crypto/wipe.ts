import { sodium } from './sodium';

/** Overwrite key material or decrypted bytes with zeros (sodium_memzero). */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) if (b) sodium().memzero(b);
}

// One decoder for every call: sodium.to_string makes a new TextDecoder each time, and Get Item
// decodes its secret fields on every message.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function bytesToString(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
