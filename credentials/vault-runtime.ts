import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runtimeFingerprint, sodiumReady, toB64, type RuntimeKeys } from './crypto';
import { Keyring } from './keyring';
import { RememberedSecrets } from './remembered-secrets';
import { RuntimeApprovals } from './runtime-approvals';
import { loadOrCreateRuntimeKeys } from './runtime-key-file';
import { createStore, type StoreConfig } from './store/create-store';
import type { ItemRecord, ItemWrite, StoreChange } from './store/records';
import { VaultError } from './errors';
import { applyTokenPolicy } from './oauth/write-policy';
import { TokenRefresher, type RefresherOptions } from './oauth/token-refresher';
import type { VaultStore } from './store/vault-store';
import { ProblemLog } from './problem-log';
import { requireSecretsOnMove } from './destination-policy';
import { Format2Vaults } from './format2-vaults';
import { WaitingMessages, type WaitingEntry } from './waiting-messages';

/** How often one node may ask for the same locked vault (a node set to fail when locked asks per message). */
const UNLOCK_REQUEST_INTERVAL_MS = 30_000;
const UNLOCK_REQUESTS_TRACKED = 10_000;

/** The `vault` section of Node-RED's settings.js. */
export interface VaultSettings {
  store?: StoreConfig;
  /** "console": ask for a locked vault's VSK on the runtime's terminal when a flow first needs it. */
  prompt?: 'console' | 'editor' | 'none';
  /** Keep unlocked VSKs sealed to the runtime's own key in the user directory, across restarts. */
  rememberSecrets?: boolean;
  /** This runtime's name in `GET vault/runtime` (default: the host name). */
  runtimeName?: string;
  /** Origins besides the editor's own whose pages may call the vault API (admin/request-origin.ts). */
  allowedOrigins?: string[];
  /** This runtime's admin URL, recorded in a shared store's registry. */
  adminUrl?: string;
  /** OAuth2 token requests: `timeoutMs` (10 s), `retryDelaysMs` ([500, 2000]), `backoffMs` (1 s), `maxBackoffMs` (60 s). */
  oauth?: Pick<RefresherOptions, 'timeoutMs' | 'retryDelaysMs' | 'backoffMs' | 'maxBackoffMs'>;
}

export interface RuntimeInfo {
  id: string;
  name: string;
  publicKey: string;
  fingerprint: string;
  protocol: 1;
}

export interface UnlockNeeded {
  vault: string;
  name: string;
  node: string;
}

export interface VaultRuntimeEvents {
  /** A vault or item changed, was locked or unlocked: safe to show to editors (ids only). */
  changed: [StoreChange];
  'unlock-needed': [UnlockNeeded];
  /** A node's count of messages held for a locked vault changed (0: none left, e.g. timed out or released). */
  waiting: [WaitingEntry];
}

/**
 * Everything one Node-RED runtime holds for the vault: its identity, its store and its keyring.
 * Free of Node-RED: the nodes and admin routes are thin adapters around it.
 */
export class VaultRuntime extends EventEmitter<VaultRuntimeEvents> {
  readonly info: RuntimeInfo;
  private remembered?: RememberedSecrets;
  /** Keeps OAuth2 connections' access tokens valid (see credentials/oauth/). */
  readonly tokens: TokenRefresher;
  /** The runtime approvals kept in this runtime's store (PROTOCOL.md, "Runtime approvals"). */
  readonly approvals: RuntimeApprovals;
  private readonly problems: ProblemLog;
  /** When each (vault, node) last asked for an unlock: asked again only after the interval, or a lock. */
  private readonly unlockAsked = new Map<string, number>();
  private readonly waitingMessages = new WaitingMessages();

  private constructor(
    readonly store: VaultStore,
    readonly keyring: Keyring,
    readonly keys: RuntimeKeys,
    readonly settings: VaultSettings,
    readonly userDir: string,
    warn: (message: string) => void,
  ) {
    super();
    this.problems = new ProblemLog(warn);
    this.setMaxListeners(0);
    this.info = {
      id: keys.id,
      name: settings.runtimeName ?? hostname(),
      publicKey: toB64(keys.publicKey),
      fingerprint: runtimeFingerprint(keys.publicKey),
      protocol: 1,
    };
    keyring.on('changed', (c) => this.emit('changed', c));
    const forgetAsked = (vault: string): void => {
      for (const key of this.unlockAsked.keys()) if (key.startsWith(`${vault}\0`)) this.unlockAsked.delete(key);
    };
    keyring.on('unlocked', forgetAsked);
    keyring.on('locked', forgetAsked);
    this.tokens = new TokenRefresher(keyring, store, settings.oauth);
    this.approvals = new RuntimeApprovals(store, keyring);
  }

  /** `options.warn` hears what the runtime wants an admin to know at start (Node-RED's log). */
  static async start(userDir: string, settings: VaultSettings = {}, options: { warn?: (message: string) => void } = {}): Promise<VaultRuntime> {
    await sodiumReady();
    const warn = options.warn ?? (() => undefined);
    const keys = loadOrCreateRuntimeKeys(join(userDir, 'nr-vault-runtime-key.json'));
    const store = await createStore(envStoreConfig() ?? settings.store, userDir, { warn });
    await store.open();
    const keyring = new Keyring(store, keys, { warn, format2: new Format2Vaults(userDir, warn) });
    const runtime = new VaultRuntime(store, keyring, keys, settings, userDir, warn);
    if (store.registerRuntime) {
      await store.registerRuntime({
        id: runtime.info.id, name: runtime.info.name, publicKey: runtime.info.publicKey,
        fingerprint: runtime.info.fingerprint, adminUrl: settings.adminUrl, lastSeen: new Date().toISOString(),
      });
    }
    runtime.remembered = await RememberedSecrets.start(settings.rememberSecrets === true, userDir, keyring, keys, warn);
    return runtime;
  }

  /**
   * Write an item as a client asked (admin API). The vault must exist; a write that moves the
   * item's destination must carry its secrets anew (`secrets_required`); while the vault is
   * unlocked, new secrets are refused if its stored record was swapped (they were sealed to it).
   */
  async writeItem(vaultId: string, itemId: string, write: ItemWrite): Promise<ItemRecord> {
    const vault = await this.store.getVault(vaultId);
    if (!vault) throw new VaultError('unknown_vault', `There is no vault "${vaultId}" on this runtime's store.`);
    if (Object.values(write.secret).some((v) => v !== null) && this.keyring.isRecordTampered(vault)) {
      throw new VaultError('tampered', `The stored record of vault "${vaultId}" was changed: its public key is not the one its Vault Secret Key derives, so secrets sealed to it are refused. Restore the record from a backup.`);
    }
    let current: ItemRecord | undefined;
    try {
      current = await this.store.getItem(vaultId, itemId);
    } catch (e) {
      // A malformed stored item (reported by the store) is replaced by this write.
      if (!(e instanceof VaultError && e.code === 'tampered')) throw e;
    }
    return this.store.putItem(vaultId, itemId, applyTokenPolicy(current, requireSecretsOnMove(current, write)));
  }

  /**
   * A node needs a locked vault: tell editors (and the console prompt, if configured). One node asks
   * at most once per 30 s for one vault (and again after the vault was locked or unlocked), so a node
   * set to fail at once while locked does not send an event and read the store per message.
   */
  requestUnlock(vault: string, node: string): void {
    const key = `${vault}\0${node}`;
    const now = Date.now();
    const asked = this.unlockAsked.get(key);
    if (asked !== undefined && now - asked < UNLOCK_REQUEST_INTERVAL_MS) return;
    if (this.unlockAsked.size >= UNLOCK_REQUESTS_TRACKED) this.unlockAsked.clear();
    this.unlockAsked.set(key, now);
    this.store.getVault(vault).then(
      (record) => this.emit('unlock-needed', { vault, name: record?.name ?? vault, node }),
      (e: unknown) => {
        // The request still goes out, by id; the person hears why the name is missing.
        this.problems.again('unlock-request', `nr-vault: could not read vault "${vault}" to ask for its unlock (${e instanceof VaultError ? e.code : 'unexpected error'}); asking by its id.`);
        this.emit('unlock-needed', { vault, name: vault, node });
      },
    ).catch(() => undefined);
  }

  /** A node now holds `count` messages for a locked vault (its wait queue changed). */
  setWaiting(vault: string, node: string, count: number): void {
    const changed = this.waitingMessages.set(vault, node, count);
    if (changed) this.emit('waiting', changed);
  }

  /** Every node that holds messages for a locked vault now, with how many (GET vault/unlock-requests). */
  waiting(): WaitingEntry[] {
    return this.waitingMessages.list();
  }

  async close(): Promise<void> {
    this.remembered?.detach(); // shutting down locks every vault in memory; that must not forget them
    this.tokens.close();
    this.keyring.close();
    await this.store.close();
    this.removeAllListeners();
  }
}

/** NR_VAULT_STORE=postgres with NR_VAULT_PG (a connection string) and NR_VAULT_PG_SCHEMA overrides settings.js. */
function envStoreConfig(): StoreConfig | undefined {
  if (process.env.NR_VAULT_STORE === 'postgres') {
    return { type: 'postgres', connectionString: process.env.NR_VAULT_PG ?? process.env.DATABASE_URL, schema: process.env.NR_VAULT_PG_SCHEMA || undefined };
  }
  return undefined;
}
