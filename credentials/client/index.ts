/**
 * The protocol's client side, typed, in one place: vault records, sealed unlocks and item writes,
 * and the admin API over an injected transport. The CLI, the editor (through the browser bundle,
 * nodes/editor/browser-crypto.ts) and the tests use it; nothing else seals for a client.
 * Browser-safe: it imports only credentials/crypto and errors.
 */
export { VaultApi } from './vault-api';
export { VaultApiError, isVaultApiError } from './api-error';
export { fetchTransport, type FetchTransportOptions } from './fetch-transport';
export type { HttpAnswer, HttpMethod, HttpRequest, Transport } from './transport';
export { newVaultRecord, type NewVault } from './vault-record';
export { sealUnlock, type UnlockTarget, type VaultKeyRecord } from './unlock';
export { sealItemWrite, type ItemInput, type SealingVault } from './item-write';
export { signApproval, ApprovalChecker, type ApprovalWrite } from './approvals';
export { cleanRemoteText } from './remote-text';
export type {
  ConnectionTypeInfo, ItemMetadata, ItemStatus, ItemWriteBody, NewVaultRecord, RuntimeIdentity, VaultListing,
} from './wire-types';
