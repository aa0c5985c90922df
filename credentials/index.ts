/** The one public entry of credentials/: everything nodes/ and admin/ may use. */
export * from './crypto';
export { VaultError, isVaultError, quote, ERROR_CODES, type VaultErrorCode } from './errors';
export { CONNECTION_TYPES, getType, fieldSpec, itemStatus, type ConnectionType, type FieldSpec, type ItemStatus } from './types';
export type { VaultStore } from './store/vault-store';
export type { VaultRecord, ItemRecord, ItemWrite, StoreChange, RuntimeRegistration, ApprovalFilter } from './store/records';
export type { StoreRegistry } from './store/postgres-registry';
export { FileStore } from './store/file-store';
export { createStore, readRuntimeRegistry, readStoreRegistry, type StoreConfig } from './store/create-store';
// Types only: the PostgreSQL store itself (and pg) is loaded by createStore when configured.
export type { PostgresStoreOptions } from './store/postgres-config';
export { Keyring, lockedError, type DecryptedItem } from './keyring';
export { loadOrCreateRuntimeKeys } from './runtime-key-file';
export { RuntimeApprovals, checkApprovalShape } from './runtime-approvals';
export type { WaitingEntry } from './waiting-messages';
export { VaultRuntime, type VaultSettings, type RuntimeInfo, type UnlockNeeded } from './vault-runtime';
export { startConsolePrompt, type ConsolePromptOptions } from './terminal/console-prompt';
export { readHiddenLine, canReadHidden, InputCancelled, type HiddenInput } from './terminal/hidden-input';
export { REMEMBERED_FILE } from './remembered-secrets';
export { parseReference, parseReferenceName, formatReference, referenceName, itemKey, findReferences, placedReferences, type VaultReference, type PlacedReference } from './reference';
export { TokenRefresher, isOAuthType, tokenEndpoint, type RefresherEvents } from './oauth';
export { scrubSecrets, sentSecretForms, REDACTED, type SentSecrets } from './scrub-secrets';
export {
  VaultApi, VaultApiError, isVaultApiError, fetchTransport, newVaultRecord, sealUnlock, sealItemWrite, cleanRemoteText,
  signApproval, ApprovalChecker, type ApprovalWrite,
  type FetchTransportOptions, type HttpAnswer, type HttpMethod, type HttpRequest, type Transport, type NewVault,
  type UnlockTarget, type VaultKeyRecord, type ItemInput, type SealingVault, type ConnectionTypeInfo, type ItemMetadata,
  type ItemWriteBody, type NewVaultRecord, type RuntimeIdentity, type VaultListing,
} from './client';
export { exportVault, importVault, checkVaultExport, canonicalJson, EXPORT_FORMAT, type VaultExport, type ImportResult } from './vault-export';
export { migrateStore, type MigrationResult } from './store-migration';
