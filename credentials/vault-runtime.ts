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

  private constructor(
    readonly store: VaultStore,
    readonly keyring: Keyring,
    readonly keys: RuntimeKeys,
    readonly settings: VaultSettings,
    readonly userDir: string,
  ) {
    super();
    this.setMaxListeners(0);
    this.info = {
      id: keys.id,
      name: settings.runtimeName ?? hostname(),
      publicKey: toB64(keys.publicKey),
      fingerprint: runtimeFingerprint(keys.publicKey),
      protocol: 1,
    };
    keyring.on('changed', (c) => this.emit('changed', c));
    this.tokens = new TokenRefresher(keyring, store, settings.oauth);
    this.approvals = new RuntimeApprovals(store, keyring);
  }

  /** `options.warn` hears what the runtime wants an admin to know at start (Node-RED's log). */
  static async start(userDir: string, settings: VaultSettings = {}, options: { warn?: (message: string) => void } = {}): Promise<VaultRuntime> {
    await sodiumReady();
    const keys = loadOrCreateRuntimeKeys(join(userDir, 'nr-vault-runtime-key.json'));
    const store = await createStore(envStoreConfig() ?? settings.store, userDir);
    await store.open();
    const keyring = new Keyring(store, keys);
    const runtime = new VaultRuntime(store, keyring, keys, settings, userDir);
    if (store.registerRuntime) {
      await store.registerRuntime({
        id: runtime.info.id, name: runtime.info.name, publicKey: runtime.info.publicKey,
        fingerprint: runtime.info.fingerprint, adminUrl: settings.adminUrl, lastSeen: new Date().toISOString(),
      });
    }
    runtime.remembered = await RememberedSecrets.start(settings.rememberSecrets === true, userDir, keyring, keys, options.warn ?? (() => undefined));
    return runtime;
  }

  /** Write an item as a client asked (admin API). The vault must exist; the write is checked by the store. */
  async writeItem(vaultId: string, itemId: string, write: ItemWrite): Promise<ItemRecord> {
    if (!(await this.store.getVault(vaultId))) {
      throw new VaultError('unknown_vault', `There is no vault "${vaultId}" on this runtime's store.`);
    }
    const current = await this.store.getItem(vaultId, itemId);
    return this.store.putItem(vaultId, itemId, applyTokenPolicy(current, write));
  }

  /** A node needs a locked vault: tell editors (and the console prompt, if configured). */
  requestUnlock(vault: string, node: string): void {
    void this.store.getVault(vault).then(
      (record) => this.emit('unlock-needed', { vault, name: record?.name ?? vault, node }),
      () => undefined,
    );
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
