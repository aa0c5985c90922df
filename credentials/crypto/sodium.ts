import _sodium from 'libsodium-wrappers';
import { VaultError } from '../errors';
import { zeroBlocksOnFree, type WasmAllocator } from './zeroing-free';

/** libsodium must finish loading its WebAssembly before any call; every entry point awaits this. */
export async function sodiumReady(): Promise<typeof _sodium> {
  await _sodium.ready;
  wipeFreedBlocks();
  return _sodium;
}

/** The loaded libsodium, for synchronous code that runs after `sodiumReady()` resolved once. */
export function sodium(): typeof _sodium {
  // crypto_box_SEALBYTES is defined only once the module finished loading.
  if (!_sodium.crypto_box_SEALBYTES) {
    throw new VaultError('store_unavailable', 'The crypto library is not loaded yet: await sodiumReady() first.');
  }
  wipeFreedBlocks();
  return _sodium;
}

let wiping = false;

/** Every buffer libsodium-wrappers frees is zeroed first (see zeroing-free.ts). Once per process. */
function wipeFreedBlocks(): void {
  if (wiping) return;
  // Not in the package's type definitions: the Emscripten module the wrappers call into.
  zeroBlocksOnFree((_sodium as unknown as { libsodium: WasmAllocator }).libsodium);
  wiping = true;
}
