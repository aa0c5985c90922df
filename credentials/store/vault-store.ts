import type {
  ApprovalFilter, ItemRecord, ItemWrite, RuntimeApproval, RuntimeRegistration, StoreChange, VaultRecord,
} from './records';

/** What a store may tell its owner: problems found in what it read back (malformed records, notifications). */
export interface StoreHooks {
  warn?: (message: string) => void;
}

/**
 * Where vaults and items live. A store keeps opaque records: it never sees a key or a plaintext.
 * Every method may throw VaultError: `store_unavailable`, `conflict`, `not_found`, `exists`.
 */
export interface VaultStore {
  readonly kind: string;
  open(): Promise<void>;
  close(): Promise<void>;

  listVaults(): Promise<VaultRecord[]>;
  getVault(id: string): Promise<VaultRecord | undefined>;
  /** `exists` if the id is taken. */
  createVault(record: VaultRecord): Promise<VaultRecord>;
  /** Removes a vault with its items and approvals; `unknown_vault` if there is none. */
  deleteVault(vaultId: string): Promise<void>;

  listItems(vaultId: string): Promise<ItemRecord[]>;
  getItem(vaultId: string, itemId: string): Promise<ItemRecord | undefined>;
  /** Creates on the first write of an id; `conflict` when `ifVersion` differs from the stored version. */
  putItem(vaultId: string, itemId: string, write: ItemWrite): Promise<ItemRecord>;
  /** `not_found` when there is no such item; `conflict` when `ifVersion` is given and differs. */
  deleteItem(vaultId: string, itemId: string, ifVersion?: number): Promise<void>;

  /** Called after every committed change, in this process or (shared stores) another. Returns unsubscribe. */
  onChange(listener: (change: StoreChange) => void): () => void;

  /**
   * Run `fn` holding a named lock that excludes every other holder of the same name, in this process
   * and in every other process that shares the store (single-flight token refresh).
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;

  /** Shared stores record the runtimes that use them; single-process stores may keep just this one. */
  registerRuntime?(runtime: RuntimeRegistration): Promise<void>;
  listRuntimes?(): Promise<RuntimeRegistration[]>;

  /**
   * Runtime approvals (PROTOCOL.md, "Runtime approvals"), kept with the registry, one per vault and
   * runtime. The store checks shapes only: what it returns is untrusted until a holder of the VSK
   * verifies the signature (verifyRuntimeApproval). Malformed stored entries are left out.
   */
  listApprovals(filter?: ApprovalFilter): Promise<RuntimeApproval[]>;
  /** Adds or replaces the approval of (vault, runtime); `unknown_vault` when the vault does not exist. */
  putApproval(approval: RuntimeApproval): Promise<void>;
  /** Removes the approval of (vault, runtime); false when there was none. */
  deleteApproval(vault: string, runtime: string): Promise<boolean>;
}
