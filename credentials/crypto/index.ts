/** Protocol v1 crypto: the only module that touches libsodium. Runs in Node and in the browser. */
export { sodiumReady } from './sodium';
export { toB64, fromB64 } from './encoding';
export * from './labels';
export * from './limits';
export { isValidId, assertId, newId } from './ids';
export { newVsk, formatVsk, parseVsk } from './vsk';
export { deriveVaultKeyPair, newShare, openVaultKeyPair, type VaultKeyPair } from './vault-keys';
export {
  sealField, sealFieldFormat1, openField, openFieldBytes, fieldAd, fieldAd2, isFormat1, type SealedField, type FieldPlace,
} from './field';
export { DESTINATION_FIELDS, destinationFields, destinationBinding, sameDestination } from './destination';
export { deriveVaultSigningKeys, vaultSigningKeysOf, vaultSigningPublicKey, type VaultSigningKeys } from './vault-signing';
export { signVaultExport, verifyVaultExport } from './export-signature';
export { textDigest } from './digest';
export { approvalMessage, signRuntimeApproval, verifyRuntimeApproval, type RuntimeApproval } from './runtime-approval';
export { newProofChallenge, answerProofChallenge, type ProofChallenge } from './runtime-proof';
export { newRuntimeKeys, runtimeFingerprint, publicKeyOf, type RuntimeKeys } from './runtime-identity';
export {
  newUnlockPayload, encodeUnlockPayload, sealUnlockPayload, openSealedBytes, parseUnlockPayload, type UnlockPayload,
} from './unlock-payload';
export { wipe, bytesToString } from './wipe';
export { scrubWasmStack } from './stack-scrub';
export { sealRememberedSecret, openRememberedSecret } from './remembered-secret';
