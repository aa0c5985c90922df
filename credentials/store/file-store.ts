import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { VaultError } from '../errors';
import { applyItemWrite, checkItemDelete, malformedBase, notFound } from './apply-write';
import { KeyMutex } from './key-mutex';
import { acquireLockFile } from './lock-file';
import { approvalFromStored, matchesFilter } from './approval-record';
import type {
  ApprovalFilter, ItemRecord, ItemWrite, RuntimeApproval, RuntimeRegistration, StoreChange, VaultRecord,
} from './records';
import type { StoreHooks, VaultStore } from './vault-store';
import { ProblemLog } from '../problem-log';
import { parseItem, parseRuntime, parseVault } from './record-shapes';
import { UntrustedRecords } from './untrusted-records';

/**
 * The file as it is kept in memory. Every map has a null prototype and is read with `own()`, so an
 * id such as "__proto__", "constructor" or "toString" is data, never a lookup into Object.prototype.
 * Records are kept as they were read (`unknown`): a malformed one is reported and skipped when read,
 * and stays in the file untouched until a write replaces it.
 */
interface FileData {
  format: 1;
  vaults: Record<string, unknown>;
  items: Record<string, Record<string, unknown>>;
  runtimes: Record<string, unknown>;
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
  private readonly records: UntrustedRecords;

  constructor(readonly path: string, hooks: StoreHooks = {}) {
    this.events.setMaxListeners(0);
    this.records = new UntrustedRecords(new ProblemLog(hooks.warn ?? (() => undefined)), `the file store ${path}`);
  }

  async open(): Promise<void> {
    if (this.db) return;
    mkdirSync(dirname(this.path), { recursive: true });
    this.release = acquireLockFile(this.path);
    try {
      const { Low } = await import('lowdb');
      const { JSONFile } = await import('lowdb/node');
      const db = new Low<FileData>(new JSONFile<FileData>(this.path), { format: 1, vaults: map(), items: map(), runtimes: map() });
      try {
        await db.read();
      } catch (e) {
        throw new VaultError('store_corrupt', `The vault store ${this.path} is not valid JSON; restore it from a backup.`, { cause: e });
      }
      db.data = fileData(db.data, this.path);
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
      const items = map(data.items);
      items[change.vault] = map(own(data.items, change.vault));
      const snapshot = { vaults: map(data.vaults), items };
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
    const vaults = this.data().vaults;
    return this.records.valid(Object.keys(vaults).map((id) => ({ parsed: parseVault(vaults[id], id), what: UntrustedRecords.label('vault', id) })));
  }

  async getVault(id: string): Promise<VaultRecord | undefined> {
    const raw = own(this.data().vaults, id);
    return raw === undefined ? undefined : this.records.one(parseVault(raw, id), UntrustedRecords.label('vault', id));
  }

  createVault(record: VaultRecord): Promise<VaultRecord> {
    return this.mutate({ vault: record.id }, (data) => {
      if (own(data.vaults, record.id) !== undefined) throw new VaultError('exists', `A vault with id "${record.id}" exists already.`);
      data.vaults[record.id] = { ...record };
      data.items[record.id] = map();
      return { ...record };
    });
  }

  deleteVault(vaultId: string): Promise<void> {
    return this.mutate({ vault: vaultId }, (data) => {
      if (own(data.vaults, vaultId) === undefined) throw notFound(vaultId);
      delete data.vaults[vaultId];
      delete data.items[vaultId];
      // Not rolled back if the write fails: a lost approval only means "not approved" (fail-safe).
      const approvals = ownApprovals(data);
      for (const key of Object.keys(approvals)) if (key.startsWith(`${vaultId}/`)) delete approvals[key];
    });
  }

  async listItems(vaultId: string): Promise<ItemRecord[]> {
    const data = this.data();
    if (own(data.vaults, vaultId) === undefined) throw notFound(vaultId);
    const items = own(data.items, vaultId) ?? map();
    return this.records.valid(Object.keys(items).map((id) => ({
      parsed: parseItem(items[id], { vault: vaultId, id }), what: UntrustedRecords.label('item', id, vaultId),
    })));
  }

  async getItem(vaultId: string, itemId: string): Promise<ItemRecord | undefined> {
    const raw = own(own(this.data().items, vaultId), itemId);
    return raw === undefined ? undefined : this.records.one(parseItem(raw, { vault: vaultId, id: itemId }), UntrustedRecords.label('item', itemId, vaultId));
  }

  putItem(vaultId: string, itemId: string, write: ItemWrite): Promise<ItemRecord> {
    return this.mutate({ vault: vaultId, item: itemId }, (data) => {
      if (own(data.vaults, vaultId) === undefined) throw notFound(vaultId);
      const items = own(data.items, vaultId) ?? (data.items[vaultId] = map());
      const raw = own(items, itemId);
      const parsed = raw === undefined ? undefined : parseItem(raw, { vault: vaultId, id: itemId });
      const current = parsed && (parsed.ok ? parsed.record : malformedBase(storedVersion(raw)));
      const record = applyItemWrite(vaultId, itemId, current, write);
      items[itemId] = record;
      return cloneItem(record);
    });
  }

  deleteItem(vaultId: string, itemId: string, ifVersion?: number): Promise<void> {
    return this.mutate({ vault: vaultId, item: itemId }, (data) => {
      const items = own(data.items, vaultId);
      const raw = own(items, itemId);
      checkItemDelete(vaultId, itemId, raw === undefined ? undefined : { version: storedVersion(raw) }, ifVersion);
      delete items![itemId];
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
    const runtimes = this.data().runtimes;
    return this.records.valid(Object.keys(runtimes).map((id) => ({ parsed: parseRuntime(runtimes[id], id), what: UntrustedRecords.label('runtime', id) })));
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
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) data.approvals = map();
  return data.approvals as Record<string, unknown>;
}

function cloneItem(item: ItemRecord): ItemRecord {
  const secret: ItemRecord['secret'] = {};
  for (const [k, v] of Object.entries(item.secret)) secret[k] = { ...v };
  return { ...item, plain: { ...item.plain }, secret };
}

/** A map with no prototype: `m["constructor"]` is undefined unless stored. Copies `from`'s own entries. */
function map<T>(from?: Record<string, T>): Record<string, T> {
  const m = Object.create(null) as Record<string, T>;
  if (from) for (const k of Object.keys(from)) m[k] = from[k];
  return m;
}

/** `o[key]` if it is `o`'s own property; never a value inherited from a prototype. */
function own<T>(o: Record<string, T> | undefined, key: string): T | undefined {
  return o !== undefined && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The file's top level, checked: a file that is not the store's shape is refused (store_corrupt)
 * rather than overwritten. Records inside are checked when read.
 */
function fileData(raw: unknown, path: string): FileData {
  const corrupt = (what: string) => new VaultError('store_corrupt', `The vault store ${path} is not a vault store file (${what}); restore it from a backup.`);
  if (!isMap(raw)) throw corrupt('its top level is not an object');
  const section = (name: 'vaults' | 'items' | 'runtimes'): Record<string, unknown> => {
    const v = raw[name];
    if (v === undefined || v === null) return map();
    if (!isMap(v)) throw corrupt(`"${name}" is not an object`);
    return map(v);
  };
  const items = map<Record<string, unknown>>();
  const rawItems = section('items');
  for (const vault of Object.keys(rawItems)) {
    const list = rawItems[vault];
    // A vault's item map that is not an object holds no readable item; it is replaced on the next write.
    items[vault] = isMap(list) ? map(list) : map();
  }
  const data: FileData = { format: 1, vaults: section('vaults'), items, runtimes: section('runtimes') };
  if (isMap(raw.approvals)) data.approvals = map(raw.approvals);
  return data;
}

function storedVersion(raw: unknown): number {
  const v = isMap(raw) ? raw.version : undefined;
  return Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : 0;
}

