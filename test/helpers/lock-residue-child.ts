/**
 * A runtime's life in a process of its own, for lock-leaves-no-copy.test.ts: two vaults unlocked
 * (one with a sealed unlock request as the Vault page and the CLI send it, one with the VSK text as
 * the console prompt and remembered secrets do), every item read, then both locked. After the lock
 * and a full GC it writes libsodium's WebAssembly memory and a V8 heap snapshot to files, and only
 * then prints the canary values (hex) on stdout: until then they exist only as Buffer bytes, which
 * a heap snapshot does not contain, so whatever the scan finds was left by the code under test.
 *
 * Run with `node --expose-gc`. argv[2]: a directory for the store and the dumps.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import {
  deriveVaultKeyPair, FileStore, formatVsk, Keyring, newRuntimeKeys, newShare, newUnlockPayload, newVsk, sealField,
  sealUnlockPayload, sodiumReady, toB64, wipe,
} from '../../credentials';

interface Canaries {
  vskTexts: Buffer[];
  vskBytes: Buffer[];
  vaultSecretKeys: Buffer[];
  fieldKeys: Buffer[];
  secrets: Buffer[];
}

/** Secret lengths around ChaCha20's 64-byte block: partial last blocks of every size class. */
const SECRET_LENGTHS = [20, 63, 64, 100, 300];

async function main(dir: string): Promise<void> {
  const sodium = await sodiumReady();
  const store = new FileStore(join(dir, 'store.json'));
  await store.open();
  const runtime = newRuntimeKeys();
  const keyring = new Keyring(store, runtime);
  const canaries: Canaries = { vskTexts: [], vskBytes: [], vaultSecretKeys: [], fieldKeys: [], secrets: [] };

  const sealedVault = await createVault(store, 'sealed', canaries);
  const textVault = await createVault(store, 'text', canaries);
  await unlockSealed(keyring, runtime, sealedVault);
  await unlockWithText(keyring, textVault);
  for (const vault of [sealedVault, textVault]) await readEverything(keyring, vault.id);
  // A value a node still holds after the lock (it was sent on in a message): the scan must find it.
  const control = (await keyring.getItem(textVault.id, 'item-0')).fields.secret;
  // Before the lock the last decrypted value is still in libsodium's memory: proves the scan finds it.
  writeFileSync(join(dir, 'wasm-heap-unlocked.bin'), wasmHeap(sodium));

  keyring.lock(sealedVault.id);
  keyring.close(); // locks the other vault
  await store.close();
  (globalThis as { gc?: () => void }).gc?.();

  writeFileSync(join(dir, 'wasm-heap.bin'), wasmHeap(sodium));
  writeHeapSnapshot(join(dir, 'after-lock.heapsnapshot'));
  const hex = (list: Buffer[]): string[] => list.map((b) => b.toString('hex'));
  process.stdout.write(JSON.stringify({
    vskTexts: hex(canaries.vskTexts), vskBytes: hex(canaries.vskBytes), vaultSecretKeys: hex(canaries.vaultSecretKeys),
    fieldKeys: hex(canaries.fieldKeys), secrets: hex(canaries.secrets), control: Buffer.from(control).toString('hex'),
  }));
}

function wasmHeap(sodium: unknown): Buffer {
  return Buffer.from((sodium as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8);
}

interface TestVault {
  id: string;
  vsk: Uint8Array;
}

async function createVault(store: FileStore, id: string, canaries: Canaries): Promise<TestVault> {
  const vsk = newVsk();
  const share = newShare();
  const keys = deriveVaultKeyPair(vsk, share, id);
  canaries.vskBytes.push(Buffer.from(vsk));
  canaries.vskTexts.push(Buffer.from(formatVsk(vsk)));
  canaries.vaultSecretKeys.push(Buffer.from(keys.secretKey));
  wipe(keys.secretKey);
  await store.createVault({ id, name: id, share: toB64(share), publicKey: toB64(keys.publicKey), createdAt: new Date().toISOString() });
  for (const [i, length] of SECRET_LENGTHS.entries()) {
    const value = Buffer.from(randomBytes(length).toString('base64url').slice(0, length));
    const dk = new Uint8Array(randomBytes(32));
    canaries.secrets.push(value);
    canaries.fieldKeys.push(Buffer.from(dk));
    const sealed = sealField(keys.publicKey, { vault: id, item: `item-${i}`, field: 'secret', type: 'custom', plain: { note: 'public' } }, value.toString(), { dk });
    wipe(dk);
    await store.putItem(id, `item-${i}`, { name: `item ${i}`, type: 'custom', plain: { note: 'public' }, secret: { secret: sealed } });
  }
  return { id, vsk };
}

/** What the Vault page and `nr-vault unlock` do: the VSK text inside a payload sealed to the runtime. */
async function unlockSealed(keyring: Keyring, runtime: ReturnType<typeof newRuntimeKeys>, vault: TestVault): Promise<void> {
  const sealed = sealUnlockPayload(newUnlockPayload(runtime.id, vault.id, formatVsk(vault.vsk)), runtime.publicKey);
  wipe(vault.vsk);
  await keyring.unlockSealed(vault.id, sealed);
}

/** What the console prompt and remembered secrets do: the VSK text handed to the keyring. */
async function unlockWithText(keyring: Keyring, vault: TestVault): Promise<void> {
  const text = formatVsk(vault.vsk);
  wipe(vault.vsk);
  await keyring.unlock(vault.id, text);
}

/** Every item through both read paths a node uses, the values used as a node would use them. */
async function readEverything(keyring: Keyring, vaultId: string): Promise<void> {
  let total = 0;
  for (let i = 0; i < SECRET_LENGTHS.length; i++) {
    total += (await keyring.getItem(vaultId, `item-${i}`)).fields.secret.length;
    total += keyring.cachedItem(vaultId, `item-${i}`)?.fields.secret.length ?? 0;
  }
  if (total === 0) throw new Error('nothing was read');
}

main(process.argv[2]).catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
