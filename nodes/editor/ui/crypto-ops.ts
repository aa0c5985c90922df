// The browser's side of the protocol: every secret a person types is sealed here, before any
// request is made. The VSK is checked against the vault's public key and sealed to the runtime's
// public key; it never travels in clear, not even to its own runtime.
import { api } from './api';
import { loadCrypto } from './crypto-loader';
import type { SealedField, VaultInfo } from './wire-types';

/** An error whose message can be shown as it is. */
export class UserError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Make a vault: VSK, share and key pair in the browser; only the public record is sent. */
export async function createVault(name: string): Promise<{ vault: VaultInfo; vsk: string }> {
  const c = await loadCrypto();
  const id = c.newId();
  const vsk = c.newVsk();
  const share = c.newShare();
  const keys = c.deriveVaultKeyPair(vsk, share, id);
  const record = { id, name, share: c.toB64(share), publicKey: c.toB64(keys.publicKey) };
  const vskText = c.formatVsk(vsk);
  c.wipe(vsk, keys.secretKey);
  const created = await api.createVault(record);
  return { vault: created || record, vsk: vskText };
}

/**
 * Check a pasted VSK against the vault's public key, then seal it to this runtime's key.
 * Throws UserError('invalid_secret_format' | 'wrong_secret') before anything is sent.
 */
export async function sealVskForRuntime(vault: VaultInfo, pasted: string): Promise<string> {
  const c = await loadCrypto();
  let vsk: Uint8Array;
  try {
    vsk = c.parseVsk(pasted);
  } catch {
    throw new UserError('invalid_secret_format', 'That is not a Vault Secret Key: it starts with "vsk1_" and has 48 characters in all.');
  }
  try {
    const keys = c.openVaultKeyPair(vsk, vault);
    c.wipe(keys.secretKey);
  } catch (e) {
    c.wipe(vsk);
    if (e instanceof Error && (e as { code?: unknown }).code === 'wrong_secret') {
      throw new UserError('wrong_secret', 'That is not the key of this vault: check that you pasted the key saved for it.');
    }
    throw e;
  }
  const text = c.formatVsk(vsk);
  c.wipe(vsk);
  const runtime = await api.runtime();
  const runtimeKey = c.fromB64(runtime.publicKey, 32);
  if (!runtimeKey) throw new UserError('bad_request', "The runtime's public key is malformed.");
  return c.sealUnlockPayload(c.newUnlockPayload(runtime.id, vault.id, text), runtimeKey);
}

/** Unlock a vault on this runtime with a pasted VSK (checked and sealed first). */
export async function unlockVault(vault: VaultInfo, pasted: string): Promise<void> {
  const sealed = await sealVskForRuntime(vault, pasted);
  await api.unlock(vault.id, sealed);
}

/** A new item id, made in the browser so the fields can be sealed before the first write. */
export async function newItemId(): Promise<string> {
  return (await loadCrypto()).newId();
}

/** Seal secret values ({ field: text }) for one item; null values stay null (clear the field). */
export async function sealSecrets(vault: VaultInfo, itemId: string, values: Record<string, string | null>): Promise<Record<string, SealedField | null>> {
  const c = await loadCrypto();
  const publicKey = c.fromB64(vault.publicKey, 32);
  if (!publicKey) throw new UserError('store_corrupt', 'The vault record has a malformed public key.');
  const out: Record<string, SealedField | null> = {};
  for (const [field, value] of Object.entries(values)) {
    out[field] = value === null ? null : c.sealField(publicKey, vault.id, itemId, field, value);
  }
  return out;
}
