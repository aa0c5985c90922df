import { EventEmitter } from 'node:events';
import {
  openFieldBytes, openSealedBytes, openVaultKeyPair, parseUnlockPayload, parseVsk, sealField, wipe, bytesToString,
  scrubWasmStack, sameDestination, toB64, isFormat1, type RuntimeKeys, type SealedField, type VaultKeyPair,
} from './crypto';
import { VaultError } from './errors';
import { fieldSpec, getType, itemStatus, type ItemStatus } from './types';
import { ProblemLog } from './problem-log';
import { migrateVault } from './field-migration';
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
  /** The names of the secret fields among `fields` (for debug masking, which keeps the plain ones). */
  secretFields: readonly string[];
}

interface CachedItem {
  record: ItemRecord;
  status: ItemStatus;
  /** Decrypted secret fields, as bytes so that lock can wipe them. */
  secrets: Map<string, Uint8Array>;
  /** The secret fields' names, made once per decryption (toDecrypted runs for every message). */
  secretNames: readonly string[];
  /** Set when the bytes were wiped (lock, change): a reader still holding the entry must read again. */
  wiped?: boolean;
}

interface OpenVault {
  vsk: Uint8Array;
  keys: VaultKeyPair;
  /** The record as it was when the VSK was checked against it: a later record that differs was changed. */
  share: string;
  publicKey: string;
  items: Map<string, CachedItem>;
  /** Grows on every change of the vault, so a read that raced with a change is not cached. */
  generation: number;
  /** Store reads and decryptions in flight, one per item: a burst of first reads decrypts once. */
  reading: Map<string, Promise<CachedItem>>;
  /**
   * Set once this vault's format-1 fields were rewritten as format 2: from then on a format-1 field
   * can only be an old ciphertext a store writer put back (perhaps with a changed destination,
   * which format 1 does not bind), so it is `tampered`.
   */
  format2Only?: boolean;
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
  private readonly problems: ProblemLog;
  /** Vaults rewritten in format 2 (kept across restarts by the runtime): format 1 is refused there. */
  private readonly format2: { has(id: string): boolean; add(id: string): void };

  constructor(
    readonly store: VaultStore,
    private readonly runtime: RuntimeKeys,
    options: { now?: () => number; warn?: (message: string) => void; format2?: { has(id: string): boolean; add(id: string): void } } = {},
  ) {
    super();
    this.setMaxListeners(0);
    this.problems = new ProblemLog(options.warn ?? (() => undefined));
    this.format2 = options.format2 ?? new Set<string>();
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
    const open: OpenVault = {
      vsk, keys, share: vault.share, publicKey: vault.publicKey, items: new Map(), generation: (previous?.generation ?? 0) + 1, reading: new Map(),
    };
    this.open.set(vault.id, open);
    if (previous) wipeVault(previous);
    this.emit('unlocked', vault.id);
    this.emit('changed', { vault: vault.id });
    // Format-1 fields of this vault are rewritten in format 2 once, in the background; after that
    // (remembered across restarts) a format-1 field there is refused, never rewritten again.
    if (this.format2.has(vault.id)) {
      open.format2Only = true;
      return;
    }
    void migrateVault(this.store, vault.id, {
      isOpen: () => this.open.get(vault.id) === open,
      keys: open.keys,
      warn: (m) => this.problems.again(`migrate\0${vault.id}`, m),
    }).then((done) => {
      if (!done) return;
      open.format2Only = true;
      this.format2.add(vault.id);
    });
  }

  /**
   * Whether a vault record read from the store still is the one this runtime checked its VSK
   * against (PROTOCOL.md, "The vault record"). Unlocked only; a locked vault cannot be checked.
   * A changed record (a swapped public key) is reported and must not be sealed to.
   */
  isRecordTampered(vault: { id: string; share: string; publicKey: string }): boolean {
    const v = this.open.get(vault.id);
    if (!v || (v.publicKey === vault.publicKey && v.share === vault.share)) return false;
    this.problems.again(`record\0${vault.id}`, `nr-vault: the stored record of vault "${vault.id}" was changed while it is unlocked here: its public key or share is not the one its Vault Secret Key derives. Nothing is sealed to it; restore the record (public key ${toB64(v.keys.publicKey)}) from a backup.`);
    return true;
  }

  /** The public key an unlocked vault's VSK derives: the only key this runtime seals to. */
  derivedPublicKey(vaultId: string): string | undefined {
    const v = this.open.get(vaultId);
    return v && toB64(v.keys.publicKey);
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
    const entry = decryptRecord(v.keys, record, v.format2Only === true);
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
   * Seal and write fields of an item from the runtime (refreshed tokens), in format 2. The vault
   * must be unlocked: fields are sealed to the public key its VSK derives, never to the stored
   * record's (which a store writer may have swapped). `ifVersion` guards against lost updates.
   */
  async writeFields(
    vaultId: string,
    itemId: string,
    changes: { plain?: Record<string, string | null>; secret?: Record<string, string | null>; state?: 'needs_reauth' | null },
    ifVersion: number,
  ): Promise<ItemRecord> {
    const vault = await this.requireVault(vaultId);
    const v = this.open.get(vaultId);
    if (!v) throw lockedError(vaultId);
    this.isRecordTampered(vault); // reported; the write below seals to the derived key all the same
    const current = await this.store.getItem(vaultId, itemId);
    if (!current) throw new VaultError('not_found', `Vault "${vaultId}" has no item "${itemId}".`);
    const plain = { ...current.plain };
    for (const [k, val] of Object.entries(changes.plain ?? {})) {
      if (val === null) delete plain[k];
      else plain[k] = val;
    }
    if (!sameDestination(current, { type: current.type, plain })) {
      // Every other secret of the item would stop opening: the runtime never moves a destination.
      throw new VaultError('bad_request', `The runtime does not change where connection "${itemId}" sends its secrets.`);
    }
    const secret: Record<string, SealedField | null> = {};
    for (const [k, val] of Object.entries(changes.secret ?? {})) {
      secret[k] = val === null ? null : sealField(v.keys.publicKey, { vault: vaultId, item: itemId, field: k, type: current.type, plain }, val);
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

function decryptRecord(keys: VaultKeyPair, record: ItemRecord, format2Only: boolean): CachedItem {
  const type = getType(record.type);
  if (!type.openFields) {
    // A store writer may move a value into a plain field of a secret's name (plain.password):
    // what the type defines as secret is only ever read from a sealed field.
    const moved = Object.keys(record.plain).find((name) => fieldSpec(type, name, 'secret'));
    if (moved !== undefined) {
      throw new VaultError('tampered', `Item "${record.id}" has its secret field "${moved}" stored as a plain field: it was changed outside nr-vault; write the connection again.`);
    }
  }
  if (format2Only) {
    const old = Object.keys(record.secret).find((name) => isFormat1(record.secret[name]));
    if (old !== undefined) {
      throw new VaultError('tampered', `The secret field "${old}" of item "${record.id}" is in the old field format 1 after this vault was rewritten in format 2: an old ciphertext was put back into the store. Enter the secret again.`);
    }
  }
  const secrets = new Map<string, Uint8Array>();
  try {
    for (const [name, sealed] of Object.entries(record.secret)) {
      secrets.set(name, openFieldBytes(keys, { vault: record.vault, item: record.id, field: name, type: record.type, plain: record.plain }, sealed));
    }
  } catch (e) {
    for (const b of secrets.values()) wipe(b);
    throw e;
  }
  const status = itemStatus(type, record.plain, Object.keys(record.secret), record.state);
  return { record, status, secrets, secretNames: Object.freeze([...secrets.keys()]) };
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
    status: entry.status, updatedAt: record.updatedAt, fields, secretFields: entry.secretNames,
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
