import assert from 'node:assert/strict';
import {
  answerProofChallenge, approvalMessage, deriveVaultSigningKeys, fromB64, newProofChallenge, newRuntimeKeys, parseVsk,
  signRuntimeApproval, sodiumReady, toB64, vaultSigningPublicKey, verifyRuntimeApproval, VaultError,
} from '../../../credentials';
import { vectors } from '../../helpers/vectors';

// The additions' vectors, typed here (test/helpers/vectors.ts types the version-1 ones).
interface ApprovalVectors {
  vaultSigning: { vsk: string; share: string; vaultId: string; expectSignPublicKey: string };
  runtimeApproval: {
    vaultId: string; runtimeId: string; runtimePublicKey: string; expectMessage: string; expectSignature: string;
  };
}
const v = vectors as unknown as ApprovalVectors;

const b = (s: string): Uint8Array => {
  const bytes = fromB64(s);
  assert.ok(bytes, `vector ${s} is base64url`);
  return bytes;
};

describe('protocol additions: vault signing key and runtime approvals (vectors)', () => {
  before(() => sodiumReady());

  const signKeys = () => deriveVaultSigningKeys(parseVsk(v.vaultSigning.vsk), b(v.vaultSigning.share), v.vaultSigning.vaultId);
  const expect = () => ({ vault: v.runtimeApproval.vaultId, runtime: v.runtimeApproval.runtimeId, publicKey: v.runtimeApproval.runtimePublicKey });
  const approval = () => ({ ...expect(), sig: v.runtimeApproval.expectSignature, approvedAt: '2026-12-01T00:00:00.000Z' });

  it('derives the vault signing public key', () => {
    assert.equal(toB64(signKeys().publicKey), v.vaultSigning.expectSignPublicKey);
    const record = { id: v.vaultSigning.vaultId, share: v.vaultSigning.share };
    assert.equal(toB64(vaultSigningPublicKey(parseVsk(v.vaultSigning.vsk), record)), v.vaultSigning.expectSignPublicKey);
  });

  it('signing key differs from the one a wrong VSK derives', () => {
    const wrong = deriveVaultSigningKeys(parseVsk(vectors.wrongSecret.vsk), b(v.vaultSigning.share), v.vaultSigning.vaultId);
    assert.notEqual(toB64(wrong.publicKey), v.vaultSigning.expectSignPublicKey);
  });

  it('builds the approval message byte for byte', () => {
    const r = v.runtimeApproval;
    assert.equal(toB64(approvalMessage(r.vaultId, r.runtimeId, b(r.runtimePublicKey))), r.expectMessage);
  });

  it('signs the approval to exactly the vector signature (Ed25519 is deterministic)', () => {
    const r = v.runtimeApproval;
    assert.equal(signRuntimeApproval(signKeys().secretKey, r.vaultId, r.runtimeId, b(r.runtimePublicKey)), r.expectSignature);
  });

  it('verifies the vector approval', () => {
    assert.equal(verifyRuntimeApproval(b(v.vaultSigning.expectSignPublicKey), approval(), expect()), true);
  });

  it('a signature over any other vault id, runtime id or public key does not verify', () => {
    const pk = b(v.vaultSigning.expectSignPublicKey);
    const other = toB64(newRuntimeKeys().publicKey);
    // The approval as stored names something else than what the caller is about to trust.
    assert.equal(verifyRuntimeApproval(pk, approval(), { ...expect(), vault: 'vault-test-2' }), false);
    assert.equal(verifyRuntimeApproval(pk, approval(), { ...expect(), runtime: 'runtime-test-2' }), false);
    assert.equal(verifyRuntimeApproval(pk, approval(), { ...expect(), publicKey: other }), false);
    // A store writer relabels the stored approval to match another runtime: the signature is not over it.
    assert.equal(verifyRuntimeApproval(pk, { ...approval(), runtime: 'runtime-test-2' }, { ...expect(), runtime: 'runtime-test-2' }), false);
    assert.equal(verifyRuntimeApproval(pk, { ...approval(), publicKey: other }, { ...expect(), publicKey: other }), false);
    assert.equal(verifyRuntimeApproval(pk, { ...approval(), vault: 'vault-test-2' }, { ...expect(), vault: 'vault-test-2' }), false);
  });

  it('an approval signed with another vault key does not verify', () => {
    const wrong = deriveVaultSigningKeys(parseVsk(vectors.wrongSecret.vsk), b(v.vaultSigning.share), v.vaultSigning.vaultId);
    const r = v.runtimeApproval;
    const sig = signRuntimeApproval(wrong.secretKey, r.vaultId, r.runtimeId, b(r.runtimePublicKey));
    assert.equal(verifyRuntimeApproval(b(v.vaultSigning.expectSignPublicKey), { ...approval(), sig }, expect()), false);
    assert.equal(verifyRuntimeApproval(wrong.publicKey, { ...approval(), sig }, expect()), true);
  });

  for (const [name, bad] of Object.entries<unknown>({
    null: null, string: 'sig', 'sig missing': { ...expect() }, 'sig a number': { ...expect(), sig: 5 },
    'sig not base64url': { ...expect(), sig: '!!!' }, 'sig too short': { ...expect(), sig: 'AAAA' },
    'sig non-canonical': { ...expect(), sig: `${v.runtimeApproval.expectSignature.slice(0, -1)}B` },
    'huge sig': { ...expect(), sig: 'A'.repeat(1_000_000) },
  })) {
    it(`a malformed approval (${name}) is false, never an exception`, () => {
      assert.equal(verifyRuntimeApproval(b(v.vaultSigning.expectSignPublicKey), bad, expect()), false);
    });
  }
});

describe('runtime identity proof (docs/protocol-notes.md)', () => {
  before(() => sodiumReady());

  it('the key holder answers the challenge; the answer verifies', () => {
    const rt = newRuntimeKeys();
    const c = newProofChallenge(rt.id, rt.publicKey);
    assert.equal(c.verify(answerProofChallenge(c.sealed, rt)), true);
  });

  it('a server without the key cannot answer: it cannot open the challenge', () => {
    const rt = newRuntimeKeys();
    const impostor = { ...newRuntimeKeys(), id: rt.id, publicKey: rt.publicKey }; // copied public identity
    const c = newProofChallenge(rt.id, rt.publicKey);
    assert.throws(() => answerProofChallenge(c.sealed, impostor), (e: unknown) => e instanceof VaultError && e.code === 'bad_seal');
    assert.equal(c.verify(toB64(new Uint8Array(32))), false);
    assert.equal(c.verify(undefined), false);
  });

  it('an answer for another runtime id does not verify', () => {
    const rt = newRuntimeKeys();
    const c = newProofChallenge('someone-else', rt.publicKey);
    assert.equal(c.verify(answerProofChallenge(c.sealed, rt)), false);
  });

  it('is no oracle: a box sealed to the runtime with another content is bad_seal', async () => {
    const s = await sodiumReady();
    const rt = newRuntimeKeys();
    for (const plain of ['{"v":1,"runtime":"x"}', 'nr-vault/v1 runtime-proof\0short', `nr-vault/v1 runtime-prooX\0${'a'.repeat(32)}`]) {
      const sealed = toB64(s.crypto_box_seal(s.from_string(plain), rt.publicKey));
      assert.throws(() => answerProofChallenge(sealed, rt), (e: unknown) => e instanceof VaultError && e.code === 'bad_seal');
    }
    for (const junk of [undefined, null, 5, '', '!!', 'A'.repeat(100_000)]) {
      assert.throws(() => answerProofChallenge(junk, rt), (e: unknown) => e instanceof VaultError && e.code === 'bad_seal');
    }
  });
});
