import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { VaultError } from '../errors';
import { applyItemWrite, checkItemDelete, notFound } from './apply-write';
import { KeyMutex } from './key-mutex';
import { acquireLockFile } from './lock-file';
import { approvalFromStored, matchesFilter } from './approval-record';
import type {
  ApprovalFilter, ItemRecord, ItemWrite, RuntimeApproval, RuntimeRegistration, StoreChange, VaultRecord,
} from './records';
import type { VaultStore } from './vault-store';

interface FileData {
  format: 1;
  vaults: Record<string, VaultRecord>;
  items: Record<string, Record<string, ItemRecord>>;
  runtimes: Record<string, RuntimeRegistration>;
  /** Keyed "vaultId/runtimeId" (ids never hold a "/"). Entries are untrusted when read. */
  approvals?: Record<string, unknown>;
}

// lowdb is ESM-only; the package is CommonJS, so it is loaded with a real dynamic import.
type LowDb = { data: FileData; read(): Promise<void>; write(): Promise<void> };

/**
 * The default store: one JSON file in the Node-RED user directory, written atomically by lowdb
 * (a temporary file renamed over the old one), guarded by a lock file against a second process.
 */
export class FileStore implements VaultStore {
  readonly kind = 'file';
  private db?: LowDb;
  private release?: () => void;
  private readonly events = new EventEmitter();
  private readonly writes = new KeyMutex();
  private readonly locks = new KeyMutex();

  constructor(readonly path: string) {
    this.events.setMaxListeners(0);
  }

  async open(): Promise<void> {
    if (this.db) return;
    mkdirSync(dirname(this.path), { recursive: true });
    this.release = acquireLockFile(this.path);
    try {
      const { Low } = await import('lowdb');
      const { JSONFile } = await import('lowdb/node');
      const db = new Low<FileData>(new JSONFile<FileData>(this.path), { format: 1, vaults: {}, items: {}, runtimes: {} });
      try {
        await db.read();
      } catch (e) {
        throw new VaultError('store_corrupt', `The vault store ${this.path} is not valid JSON; restore it from a backup.`, { cause: e });
      }
      db.data.vaults ??= {};
      db.data.items ??= {};
      db.data.runtimes ??= {};
      this.db = db;
    } catch (e) {
      this.release();
      this.release = undefined;
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.writes.run('file', async () => undefined);
    this.db = undefined;
    this.release?.();
    this.release = undefined;
    this.events.removeAllListeners();
  }

  private data(): FileData {
    if (!this.db) throw new VaultError('store_unavailable', 'The vault file store is not open.');
    return this.db.data;
  }

  /** Serialize read-modify-write cycles; the change is in the file before anyone hears of it. */
  private mutate<T>(change: StoreChange, fn: (data: FileData) => T): Promise<T> {
    return this.writes.run('file', async () => {
      const data = this.data();
      // Records are replaced, never edited in place, so shallow copies are enough to roll back.
      const snapshot = { vaults: { ...data.vaults }, items: { ...data.items, [change.vault]: { ...(data.items[change.vault] ?? {}) } } };
      let result: T;
      try {
        result = fn(data);
        await this.db!.write();
      } catch (e) {
        // Nothing half-applied stays in memory when the write fails.
        data.vaults = snapshot.vaults;
        data.items = snapshot.items;
        throw e;
      }
      this.events.emit('change', change);
      return result;
    });
  }

  async listVaults(): Promise<VaultRecord[]> {
    return Object.values(this.data().vaults).map((v) => ({ ...v }));
  }

  async getVault(id: string): Promise<VaultRecord | undefined> {
    const v = this.data().vaults[id];
    return v && { ...v };
  }

  createVault(record: VaultRecord): Promise<VaultRecord> {
    return this.mutate({ vault: record.id }, (data) => {
      if (data.vaults[record.id]) throw new VaultError('exists', `A vault with id "${record.id}" exists already.`);
      data.vaults[record.id] = { ...record };
      data.items[record.id] = {};
      return { ...record };
    });
  }

  async listItems(vaultId: string): Promise<ItemRecord[]> {
    const data = this.data();
    if (!data.vaults[vaultId]) throw notFound(vaultId);
    return Object.values(data.items[vaultId] ?? {}).map(cloneItem);
  }

  async getItem(vaultId: string, itemId: string): Promise<ItemRecord | undefined> {
    const item = this.data().items[vaultId]?.[itemId];
    return item && cloneItem(item);
  }

  putItem(vaultId: string, itemId: string, write: ItemWrite): Promise<ItemRecord> {
    return this.mutate({ vault: vaultId, item: itemId }, (data) => {
      if (!data.vaults[vaultId]) throw notFound(vaultId);
      const items = (data.items[vaultId] ??= {});
      const record = applyItemWrite(vaultId, itemId, items[itemId], write);
      items[itemId] = record;
      return cloneItem(record);
    });
  }

  deleteItem(vaultId: string, itemId: string, ifVersion?: number): Promise<void> {
    return this.mutate({ vault: vaultId, item: itemId }, (data) => {
      const items = data.items[vaultId];
      checkItemDelete(vaultId, itemId, items?.[itemId], ifVersion);
      delete items[itemId];
    });
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  /** One process owns the file (the lock file), so an in-process lock excludes every holder. */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(name, fn);
  }

  async registerRuntime(runtime: RuntimeRegistration): Promise<void> {
    await this.writes.run('file', async () => {
      this.data().runtimes[runtime.id] = { ...runtime };
      await this.db!.write();
    });
  }

  async listRuntimes(): Promise<RuntimeRegistration[]> {
    return Object.values(this.data().runtimes).map((r) => ({ ...r }));
  }

  async listApprovals(filter?: ApprovalFilter): Promise<RuntimeApproval[]> {
    const stored = this.data().approvals;
    // The file may have been edited: anything that is not a well-formed approval is left out.
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return [];
    return Object.values(stored).flatMap((v) => {
      const a = approvalFromStored(v);
      return a && matchesFilter(a, filter) ? [a] : [];
    });
  }

  async putApproval(approval: RuntimeApproval): Promise<void> {
    await this.writes.run('file', async () => {
      const data = this.data();
      if (!Object.hasOwn(data.vaults, approval.vault)) throw notFound(approval.vault);
      const approvals = ownApprovals(data);
      const key = approvalKey(approval.vault, approval.runtime);
      const previous = Object.hasOwn(approvals, key) ? approvals[key] : undefined;
      approvals[key] = { ...approval };
      try {
        await this.db!.write();
      } catch (e) {
        if (previous === undefined) delete approvals[key];
        else approvals[key] = previous;
        throw e;
      }
    });
  }

  async deleteApproval(vault: string, runtime: string): Promise<boolean> {
    return this.writes.run('file', async () => {
      const approvals = ownApprovals(this.data());
      const key = approvalKey(vault, runtime);
      if (!Object.hasOwn(approvals, key)) return false;
      const previous = approvals[key];
      delete approvals[key];
      try {
        await this.db!.write();
      } catch (e) {
        approvals[key] = previous;
        throw e;
      }
      return true;
    });
  }
}

function approvalKey(vault: string, runtime: string): string {
  return `${vault}/${runtime}`;
}

/** The approvals map, replaced by an empty one if the file holds something else there. */
function ownApprovals(data: FileData): Record<string, unknown> {
  const stored = data.approvals;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) data.approvals = {};
  return data.approvals as Record<string, unknown>;
}

function cloneItem(item: ItemRecord): ItemRecord {
  const secret: ItemRecord['secret'] = {};
  for (const [k, v] of Object.entries(item.secret)) secret[k] = { ...v };
  return { ...item, plain: { ...item.plain }, secret };
}
