import _sodium from 'libsodium-wrappers';
import { VaultError } from '../errors';

/** libsodium must finish loading its WebAssembly before any call; every entry point awaits this. */
export async function sodiumReady(): Promise<typeof _sodium> {
  await _sodium.ready;
  return _sodium;
}

/** The loaded libsodium, for synchronous code that runs after `sodiumReady()` resolved once. */
export function sodium(): typeof _sodium {
  // crypto_box_SEALBYTES is defined only once the module finished loading.
  if (!_sodium.crypto_box_SEALBYTES) {
    throw new VaultError('store_unavailable', 'The crypto library is not loaded yet: await sodiumReady() first.');
  }
  return _sodium;
}
