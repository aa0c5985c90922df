import { VaultError } from '../errors';
import { concatBytes, fromB64, toB64, utf8 } from './encoding';
import { KEY_BYTES, LABEL_RUNTIME_PROOF } from './labels';
import { sodium } from './sodium';

/**
 * Proof that a server holds a runtime's secret key, asked before any credential is sent to it
 * (docs/protocol-notes.md, "Runtime identity proof"). The identity itself is public and a server
 * can copy it; only the key's holder opens `sealed` and can answer with the right `proof`.
 */
export interface ProofChallenge {
  /** What the client sends: `crypto_box_seal(label \0 || challenge, runtimePublicKey)`, base64url. */
  sealed: string;
  /** Checks the answer; the challenge itself stays with the client. */
  verify(proof: unknown): boolean;
}

const prefix = (): Uint8Array => concatBytes(utf8(LABEL_RUNTIME_PROOF), new Uint8Array([0]));

/** proof = BLAKE2b-256(label \0 || runtimeId \0 || runtimePublicKey, key = challenge). */
function proofOf(challenge: Uint8Array, runtimeId: string, runtimePublicKey: Uint8Array): Uint8Array {
  const input = concatBytes(prefix(), utf8(runtimeId), new Uint8Array([0]), runtimePublicKey);
  return sodium().crypto_generichash(KEY_BYTES, input, challenge);
}

export function newProofChallenge(runtimeId: string, runtimePublicKey: Uint8Array): ProofChallenge {
  const s = sodium();
  const challenge = s.randombytes_buf(KEY_BYTES);
  const sealed = toB64(s.crypto_box_seal(concatBytes(prefix(), challenge), runtimePublicKey));
  const expected = proofOf(challenge, runtimeId, runtimePublicKey);
  s.memzero(challenge);
  return {
    sealed,
    verify: (proof) => {
      const got = fromB64(proof, KEY_BYTES);
      return got !== null && s.memcmp(got, expected);
    },
  };
}

/**
 * The runtime's answer. Opens only a box whose plaintext is exactly the proof label and 32 bytes,
 * so the route is no oracle for anything else sealed to this runtime (unlock payloads, remembered
 * secrets). Anything else is `bad_seal`.
 */
export function answerProofChallenge(
  sealed: unknown, runtime: { id: string; publicKey: Uint8Array; secretKey: Uint8Array },
): string {
  const s = sodium();
  const p = prefix();
  const box = fromB64(sealed);
  let plain: Uint8Array | undefined;
  if (box && box.length === s.crypto_box_SEALBYTES + p.length + KEY_BYTES) {
    try {
      plain = s.crypto_box_seal_open(box, runtime.publicKey, runtime.secretKey);
    } catch {
      plain = undefined;
    }
  }
  if (!plain || !s.memcmp(plain.subarray(0, p.length), p)) {
    if (plain) s.memzero(plain);
    throw new VaultError('bad_seal', "The identity challenge does not open with this runtime's key: seal it to the public key from GET vault/runtime.");
  }
  const challenge = plain.slice(p.length);
  s.memzero(plain);
  try {
    return toB64(proofOf(challenge, runtime.id, runtime.publicKey));
  } finally {
    s.memzero(challenge);
  }
}
