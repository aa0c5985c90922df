import { concatBytes, fromB64, toB64, utf8 } from './encoding';
import { LABEL_VAULT_EXPORT } from './labels';
import { sodium } from './sodium';

const SIGNATURE_BYTES = 64;
const SIGN_PUBLIC_KEY_BYTES = 32;

/** m = label \0 || body (the export's canonical encoding, docs/protocol-notes.md "Vault export"). */
function exportMessage(body: string): Uint8Array {
  return concatBytes(utf8(LABEL_VAULT_EXPORT), new Uint8Array([0]), utf8(body));
}

/** The vault signing key's Ed25519 signature over an export body, base64url. */
export function signVaultExport(signSecretKey: Uint8Array, body: string): string {
  return toB64(sodium().crypto_sign_detached(exportMessage(body), signSecretKey));
}

/** Whether `sig` is the vault's signature over exactly `body`. Never throws: anything malformed is false. */
export function verifyVaultExport(signPublicKey: Uint8Array, body: string, sig: unknown): boolean {
  const signature = fromB64(sig, SIGNATURE_BYTES);
  if (!signature || signPublicKey.length !== SIGN_PUBLIC_KEY_BYTES) return false;
  try {
    return sodium().crypto_sign_verify_detached(signature, exportMessage(body), signPublicKey);
  } catch {
    return false;
  }
}
