/**
 * libsodium-wrappers copies every input of a call (keys, plaintexts, base64 text) into the
 * WebAssembly heap and every output out of it, through `libsodium._malloc` and `libsodium._free`,
 * and frees those blocks without overwriting them: after a lock, the VSK and decrypted values stayed
 * readable in `libsodium.HEAPU8` until the allocator happened to reuse the bytes.
 *
 * The wrappers look both functions up on the module object at every call, so replacing them there is
 * enough: `_malloc` records the size of each block, `_free` overwrites the block with zeros and then
 * frees it. Blocks allocated before this ran (libsodium's own start-up) are freed as before. C code
 * inside the WebAssembly module allocates with its internal malloc, not through these two; libsodium
 * wipes its own temporaries (sodium_memzero), which the heap-scanning test checks.
 *
 * Runs wherever credentials/crypto runs: Node and the editor's bundle (resources/vault-crypto.js).
 */
export interface WasmAllocator {
  _malloc(size: number): number;
  _free(address: number): void;
  /** Replaced by a new view when the memory grows: read it at every use. */
  HEAPU8: Uint8Array;
}

const patched = new WeakSet<object>();

export function zeroBlocksOnFree(lib: WasmAllocator): void {
  if (patched.has(lib)) return;
  patched.add(lib);
  const malloc = lib._malloc;
  const free = lib._free;
  const sizes = new Map<number, number>();
  lib._malloc = (size: number): number => {
    const address = malloc(size);
    if (address !== 0) sizes.set(address, size);
    return address;
  };
  lib._free = (address: number): void => {
    const size = sizes.get(address);
    if (size !== undefined) {
      sizes.delete(address);
      lib.HEAPU8.fill(0, address, address + size);
    }
    free(address);
  };
}
