/**
 * The editor's crypto and vault client: protocol v1 from credentials/crypto and the typed client
 * of credentials/client (vault records, sealed unlocks and item writes, VaultApi over a transport
 * the editor gives it), bundled by scripts/build.js into resources/vault-crypto.js (global
 * `NrVaultCrypto`). Not credentials/index.ts: it pulls in Node-only code (stores, files).
 */
export * from '../../credentials/crypto';
export * from '../../credentials/client';
