import { EventEmitter } from 'node:events';
import {
  openFieldBytes, openSealedBytes, openVaultKeyPair, parseUnlockPayload, parseVsk, sealField, wipe, bytesToString,
  fromB64, scrubWasmStack, type RuntimeKeys, type VaultKeyPair,
} from './crypto';
import { VaultError } from './errors';
import { getType, itemStatus, type ItemStatus } from './types';
import type { ItemRecord, StoreChange, VaultRecord } from './store/records';
import type { VaultStore } from './store/vault-store';
import { UnlockGuard } from './unlock-guard';

/** A decrypted item as a node sees it: every field, plain and secret, as a string. */
export interface DecryptedItem {
  id: string;
  vault: string;
  name: string;
  type: string;
  version: number;
  status: ItemStatus;
  updatedAt: string;
  fields: Record<string, string>;
}

interface CachedItem {
  record: ItemRecord;
  status: ItemStatus;
  /** Decrypted secret fields, as bytes so that lock can wipe them. */
  secrets: Map<string, Uint8Array>;
  /** Set when the bytes were wiped (lock, change): a reader still holding the entry must read again. */
  wiped?: boolean;
}

interface OpenVault {
  vsk: Uint8Array;
  keys: VaultKeyPair;
  items: Map<string, CachedItem>;
  /** Grows on every change of the vault, so a read that raced with a change is not cached. */
  generation: number;
  /** Store reads and decryptions in flight, one per item: a burst of first reads decrypts once. */
  reading: Map<string, Promise<CachedItem>>;
}

export interface KeyringEvents {
  changed: [StoreChange];
  unlocked: [string];
  locked: [string];
}

/**
 * The unlocked vaults of this runtime. The VSK lives only here, in memory; items are decrypted
 * when a node first asks and cached until the store says they changed or the vault is locked.
 */
export class Keyring extends EventEmitter<KeyringEvents> {
  private open = new Map<string, OpenVault>();
  private readonly guard: UnlockGuard;
  private readonly unsubscribe: () => void;

  constructor(
    readonly store: VaultStore,
    private readonly runtime: RuntimeKeys,
    options: { now?: () => number } = {},
  ) {
    super();
    this.setMaxListeners(0);
    this.guard = new UnlockGuard(options.now);
    this.unsubscribe = store.onChange((change) => this.onStoreChange(change));
  }

  get runtimeId(): string {
    return this.runtime.id;
  }

  isUnlocked(vaultId: string): boolean {
    return this.open.has(vaultId);
  }

  unlockedVaults(): string[] {
    return [...this.open.keys()];
  }

  /** Unlock with a VSK in text form (console prompt, remembered secret): format, rate, then key check. */
  async unlock(vaultId: string, vskText: string): Promise<void> {
    const vault = await this.requireVault(vaultId);
    const vsk = parseVsk(vskText);
    try {
      this.guard.checkRate(vaultId);
    } catch (e) {
      wipe(vsk);
      throw e;
    }
    this.unlockWith(vault, vsk);
  }

  /** The unlock table of PROTOCOL.md, after the body and vault checks, in its order. */
  async unlockSealed(vaultId: string, sealed: string): Promise<void> {
    const vault = await this.requireVault(vaultId);
    const bytes = openSealedBytes(sealed, this.runtime);
    let payload;
    try {
      payload = parseUnlockPayload(bytes);
    } finally {
      wipe(bytes);
    }
    if (payload.runtime !== this.runtime.id) {
      throw new VaultError('wrong_runtime', 'This unlock request was sealed for another runtime: fetch this runtime\'s id and key from GET vault/runtime.');
    }
    if (payload.vault !== vaultId) {
      throw new VaultError('wrong_vault', `This unlock request names another vault than "${vaultId}".`);
    }
    this.guard.checkFresh(payload.iat);
    this.guard.checkReplay(payload.nonce);
    const vsk = parseVsk(payload.secret);
    try {
      this.guard.checkRate(vaultId);
      this.guard.rememberNonce(payload.nonce);
    } catch (e) {
      wipe(vsk);
      throw e;
    }
    this.unlockWith(vault, vsk);
  }

  /** How many unlock nonces this keyring remembers against replay (bounded; for tests). */
  get rememberedNonces(): number {
    return this.guard.rememberedNonces;
  }

  /** A copy of an unlocked vault's VSK bytes, for remembering it sealed (never for display). */
  secretOf(vaultId: string): Uint8Array | undefined {
    const v = this.open.get(vaultId);
    return v && v.vsk.slice();
  }

  /**
   * The live key and plaintext buffers this keyring holds for a vault (the VSK, the vault secret
   * key, every decrypted field). Exists so tests can prove lock overwrites them with zeros.
   */
  heldBuffers(vaultId: string): Uint8Array[] {
    const v = this.open.get(vaultId);
    if (!v) return [];
    return [v.vsk, v.keys.secretKey, ...[...v.items.values()].flatMap((e) => [...e.secrets.values()])];
  }

  private unlockWith(vault: VaultRecord, vsk: Uint8Array): void {
    let keys: VaultKeyPair;
    try {
      keys = openVaultKeyPair(vsk, vault);
    } catch (e) {
      wipe(vsk);
      scrubWasmStack(); // a wrong VSK may be another vault's right one
      if (e instanceof VaultError && e.code === 'wrong_secret') this.guard.recordWrong(vault.id);
      throw e;
    }
    const previous = this.open.get(vault.id);
    this.open.set(vault.id, { vsk, keys, items: new Map(), generation: (previous?.generation ?? 0) + 1, reading: new Map() });
    if (previous) wipeVault(previous);
    this.emit('unlocked', vault.id);
    this.emit('changed', { vault: vault.id });
  }

  /** Forget the VSK and every value decrypted with it, overwriting the bytes with zeros. */
  lock(vaultId: string): boolean {
    const v = this.open.get(vaultId);
    if (!v) return false;
    this.open.delete(vaultId);
    wipeVault(v);
    scrubWasmStack();
    this.emit('locked', vaultId);
    this.emit('changed', { vault: vaultId });
    return true;
  }

  lockAll(): void {
    for (const id of [...this.open.keys()]) this.lock(id);
  }

  close(): void {
    this.lockAll();
    this.unsubscribe();
    this.removeAllListeners();
  }

  /** Resolves when the vault is unlocked, or rejects with `locked` after `timeoutMs`. */
  waitForUnlock(vaultId: string, timeoutMs: number): Promise<void> {
    if (this.isUnlocked(vaultId)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onUnlock = (id: string): void => {
        if (id !== vaultId) return;
        clearTimeout(timer);
        this.off('unlocked', onUnlock);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('unlocked', onUnlock);
        reject(lockedError(vaultId));
      }, timeoutMs);
      this.on('unlocked', onUnlock);
    });
  }

  /**
   * An item with its secret fields decrypted. Cached per version; the cache entry is built from
   * one stored record, so a caller never sees fields of two versions mixed. `fresh` reads the store.
   */
  async getItem(vaultId: string, itemId: string, options: { fresh?: boolean } = {}): Promise<DecryptedItem> {
    for (;;) {
      const v = this.open.get(vaultId);
      if (!v) throw lockedError(vaultId);
      const cached = v.items.get(itemId);
      if (cached && options.fresh) {
        // The caller holds a store lock and must see what another runtime wrote before it, even if
        // that runtime's change notice has not arrived yet.
        wipeEntry(cached);
        v.items.delete(itemId);
      } else if (cached) return toDecrypted(cached);
      let reading = options.fresh ? undefined : v.reading.get(itemId);
      if (!reading) {
        reading = this.readEntry(v, vaultId, itemId);
        if (!options.fresh) this.shareRead(v, itemId, reading);
      }
      const entry = await reading;
      if (this.open.get(vaultId) !== v) throw lockedError(vaultId); // locked (or re-unlocked) while reading
      // A shared read may have been cached and then wiped by a change before this reader resumed.
      if (!entry.wiped) return toDecrypted(entry);
    }
  }

  /**
   * The item if its vault is unlocked and it is decrypted already: no store read, no await. The
   * per-message path of Get Item; anything else (locked, not cached) is `undefined`.
   */
  cachedItem(vaultId: string, itemId: string): DecryptedItem | undefined {
    const entry = this.open.get(vaultId)?.items.get(itemId);
    return entry && toDecrypted(entry);
  }

  private async readEntry(v: OpenVault, vaultId: string, itemId: string): Promise<CachedItem> {
    const generation = v.generation;
    const record = await this.store.getItem(vaultId, itemId);
    if (!record) throw new VaultError('not_found', `Vault "${vaultId}" has no item "${itemId}": it was deleted, or the id is wrong.`);
    if (this.open.get(vaultId) !== v) throw lockedError(vaultId);
    const entry = decryptRecord(v.keys, record);
    if (v.generation === generation) v.items.set(itemId, entry);
    return entry;
  }

  private shareRead(v: OpenVault, itemId: string, reading: Promise<CachedItem>): void {
    v.reading.set(itemId, reading);
    const forget = (): void => {
      if (v.reading.get(itemId) === reading) v.reading.delete(itemId);
    };
    reading.then(forget, forget);
  }


  /**
   * Seal and write fields of an item from the runtime (refreshed tokens). Needs the vault
   * unlocked only to read; sealing uses the public key. `ifVersion` guards against lost updates.
   */
  async writeFields(
    vaultId: string,
    itemId: string,
    changes: { plain?: Record<string, string | null>; secret?: Record<string, string | null>; state?: 'needs_reauth' | null },
    ifVersion: number,
  ): Promise<ItemRecord> {
    const vault = await this.requireVault(vaultId);
    const current = await this.store.getItem(vaultId, itemId);
    if (!current) throw new VaultError('not_found', `Vault "${vaultId}" has no item "${itemId}".`);
    const publicKey = fromB64(vault.publicKey, 32);
    if (!publicKey) throw new VaultError('store_corrupt', `The stored record of vault "${vaultId}" has a malformed public key.`);
    const plain = { ...current.plain };
    for (const [k, val] of Object.entries(changes.plain ?? {})) {
      if (val === null) delete plain[k];
      else plain[k] = val;
    }
    const secret: Record<string, ReturnType<typeof sealField> | null> = {};
    for (const [k, val] of Object.entries(changes.secret ?? {})) {
      secret[k] = val === null ? null : sealField(publicKey, vaultId, itemId, k, val);
    }
    return this.store.putItem(vaultId, itemId, {
      name: current.name, type: current.type, plain, secret, ifVersion, state: changes.state,
    });
  }

  private async requireVault(vaultId: string): Promise<VaultRecord> {
    const vault = await this.store.getVault(vaultId);
    if (!vault) throw new VaultError('unknown_vault', `There is no vault "${vaultId}" on this runtime's store.`);
    return vault;
  }

  private onStoreChange(change: StoreChange): void {
    const v = this.open.get(change.vault);
    if (v) {
      v.generation++;
      // A read that started before the change must not be joined by readers that come after it.
      if (change.item === undefined) v.reading.clear();
      else v.reading.delete(change.item);
      if (change.item === undefined) {
        for (const entry of v.items.values()) wipeEntry(entry);
        v.items.clear();
      } else {
        const entry = v.items.get(change.item);
        if (entry) wipeEntry(entry);
        v.items.delete(change.item);
      }
    }
    this.emit('changed', change);
  }
}

export function lockedError(vaultId: string): VaultError {
  return new VaultError('locked', `Vault "${vaultId}" is locked on this runtime: unlock it from the Vault page, with nr-vault unlock, or on the console.`);
}

function decryptRecord(keys: VaultKeyPair, record: ItemRecord): CachedItem {
  const type = getType(record.type);
  const secrets = new Map<string, Uint8Array>();
  try {
    for (const [name, sealed] of Object.entries(record.secret)) {
      secrets.set(name, openFieldBytes(keys, record.vault, record.id, name, sealed));
    }
  } catch (e) {
    for (const b of secrets.values()) wipe(b);
    throw e;
  }
  const status = itemStatus(type, record.plain, Object.keys(record.secret), record.state);
  return { record, status, secrets };
}

function toDecrypted(entry: CachedItem): DecryptedItem {
  const { record } = entry;
  // Copied key by key: a spread copy that then gets the secret fields added is several times
  // slower in V8, and this runs for every message of Get Item.
  const fields: Record<string, string> = {};
  for (const name of Object.keys(record.plain)) fields[name] = record.plain[name];
  for (const [name, bytes] of entry.secrets) fields[name] = bytesToString(bytes);
  return {
    id: record.id, vault: record.vault, name: record.name, type: record.type, version: record.version,
    status: entry.status, updatedAt: record.updatedAt, fields,
  };
}

function wipeEntry(entry: CachedItem): void {
  for (const b of entry.secrets.values()) wipe(b);
  entry.secrets.clear();
  entry.wiped = true;
}

function wipeVault(v: OpenVault): void {
  for (const entry of v.items.values()) wipeEntry(entry);
  v.items.clear();
  wipe(v.vsk, v.keys.secretKey);
}
