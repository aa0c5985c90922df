/**
 * The editor's crypto: protocol v1 from credentials/crypto, bundled by scripts/build.js into
 * resources/vault-crypto.js (global `NrVaultCrypto`). Only the crypto module: index.ts pulls in
 * Node-only code (stores, files).
 */
export * from '../../credentials/crypto';
