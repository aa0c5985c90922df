import { concatBytes, fromB64, toB64, utf8 } from './encoding';
import { KEY_BYTES, LABEL_RUNTIME_APPROVAL } from './labels';
import { ID_PATTERN } from './limits';
import { sodium } from './sodium';

/**
 * A vault's approval of one runtime key: `sig` is the vault signing key's Ed25519 signature over
 * (vault id, runtime id, runtime public key). Kept with the runtime registry; public, and read
 * back from the store as untrusted input: only `verifyRuntimeApproval` makes it mean anything.
 */
export interface RuntimeApproval {
  vault: string;
  runtime: string;
  /** The runtime's X25519 public key, base64url. */
  publicKey: string;
  /** base64url of the 64-byte detached signature. */
  sig: string;
  approvedAt: string;
}

const SIGNATURE_BYTES = 64;
const SIGN_PUBLIC_KEY_BYTES = 32;

/** m = label \0 || vaultId \0 || runtimeId \0 || runtimePublicKey (its 32 raw bytes). */
export function approvalMessage(vaultId: string, runtimeId: string, runtimePublicKey: Uint8Array): Uint8Array {
  const zero = new Uint8Array([0]);
  return concatBytes(utf8(LABEL_RUNTIME_APPROVAL), zero, utf8(vaultId), zero, utf8(runtimeId), zero, runtimePublicKey);
}

/** The signature of an approval (deterministic: Ed25519), base64url. */
export function signRuntimeApproval(
  signSecretKey: Uint8Array, vaultId: string, runtimeId: string, runtimePublicKey: Uint8Array,
): string {
  return toB64(sodium().crypto_sign_detached(approvalMessage(vaultId, runtimeId, runtimePublicKey), signSecretKey));
}

/**
 * Whether `approval` is the vault's signature for exactly this vault, runtime id and public key.
 * Never throws: anything malformed (wrong types, bad base64url, wrong lengths) is simply false.
 * `expect` names what the caller is about to trust; the approval must be for that, not only valid.
 */
export function verifyRuntimeApproval(
  signPublicKey: Uint8Array,
  approval: unknown,
  expect: { vault: string; runtime: string; publicKey: string },
): boolean {
  if (typeof approval !== 'object' || approval === null) return false;
  const a = approval as Record<string, unknown>;
  if (a.vault !== expect.vault || a.runtime !== expect.runtime || a.publicKey !== expect.publicKey) return false;
  if (!ID_PATTERN.test(expect.vault) || !ID_PATTERN.test(expect.runtime)) return false;
  const publicKey = fromB64(expect.publicKey, KEY_BYTES);
  const sig = fromB64(a.sig, SIGNATURE_BYTES);
  if (!publicKey || !sig || signPublicKey.length !== SIGN_PUBLIC_KEY_BYTES) return false;
  try {
    return sodium().crypto_sign_verify_detached(sig, approvalMessage(expect.vault, expect.runtime, publicKey), signPublicKey);
  } catch {
    return false;
  }
}
