import { VaultError, isOAuthType, isVaultError, type DecryptedItem, type VaultRuntime } from '../../credentials';
import { attachVault, type NodeRedWithAdmin } from '../runtime';
import type { NodeDef, RuntimeNode } from './node-red';
import { UnlockWait } from './unlock-wait';

/** The `vault` config node as other nodes see it. */
export interface VaultConfigNode {
  vaultId: string;
  name?: string;
}

export interface BindingOptions {
  /** Seconds a message waits for a locked vault; 0 fails at once. */
  waitSeconds: number;
  maxQueue?: number;
}

const DEFAULT_MAX_QUEUE = 1000;

/** Reads the shared "when locked" properties of a node definition. */
export function bindingOptions(def: NodeDef): BindingOptions {
  const onLocked = def.onLocked === 'fail' ? 'fail' : 'wait';
  const seconds = Number(def.waitSeconds ?? 30);
  const maxQueue = Number(def.maxQueue ?? DEFAULT_MAX_QUEUE);
  return {
    waitSeconds: onLocked === 'fail' ? 0 : Number.isFinite(seconds) && seconds >= 0 ? seconds : 30,
    maxQueue: Number.isInteger(maxQueue) && maxQueue > 0 ? maxQueue : DEFAULT_MAX_QUEUE,
  };
}

/**
 * Everything a node needs to use a vault: the runtime, waiting for an unlock in order, reading an
 * item, and a status that tells the state at a glance (green dot unlocked, yellow ring locked or
 * waiting, red ring with the last error's code).
 */
export class VaultBinding {
  private wait?: UnlockWait;
  private runtime?: VaultRuntime;
  private lastError?: string;
  private readonly started: Promise<VaultRuntime>;
  private readonly onLockChange = (vault: string): void => {
    if (vault === this.vaultId) {
      this.lastError = undefined;
      this.showState();
    }
  };

  private constructor(
    private readonly node: RuntimeNode,
    readonly vaultId: string,
    options: BindingOptions,
    RED: NodeRedWithAdmin,
  ) {
    this.started = attachVault(RED);
    this.started.then(
      (rt) => {
        this.runtime = rt;
        this.wait = new UnlockWait(rt, vaultId, node.id, {
          waitMs: options.waitSeconds * 1000,
          maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
          onWaiting: (n) => { rt.setWaiting(vaultId, node.id, n); this.showState(); },
        });
        rt.keyring.on('unlocked', this.onLockChange);
        rt.keyring.on('locked', this.onLockChange);
        this.showState();
      },
      (e: unknown) => this.showError(isVaultError(e) ? e.code : 'store_unavailable'),
    );
  }

  /** The binding for a node whose `vault` property names a vault config node; undefined (and a red status) if none. */
  static create(RED: NodeRedWithAdmin, node: RuntimeNode, def: NodeDef, options = bindingOptions(def)): VaultBinding | undefined {
    const config = typeof def.vault === 'string' ? (RED.nodes.getNode(def.vault) as VaultConfigNode | null) : null;
    if (!config?.vaultId) {
      node.status({ fill: 'red', shape: 'ring', text: 'no vault' });
      return undefined;
    }
    return new VaultBinding(node, config.vaultId, options, RED);
  }

  /** Waits (in order) for the vault to be unlocked as configured, then reads the item. */
  async item(itemId: string): Promise<DecryptedItem> {
    const rt = await this.started;
    await this.wait!.ready();
    return rt.keyring.getItem(this.vaultId, itemId);
  }

  /**
   * Like item(), but refuses an item that is not ready to use. An OAuth2 connection comes with a
   * valid access token (refreshed first if it was about to expire).
   */
  async readyItem(itemId: string, expectedTypes?: readonly string[]): Promise<DecryptedItem> {
    const item = checkReady(await this.item(itemId), expectedTypes);
    const rt = await this.started;
    return rt.tokens.withFreshToken(item);
  }

  /**
   * readyItem() without waiting, when nothing has to be waited for: the runtime has started, the
   * vault is unlocked with no message queued before this one, the item is decrypted already and is
   * not an OAuth2 connection (whose token may need a refresh). Otherwise `undefined`: use
   * readyItem(). Refusals throw as readyItem() rejects. This is the per-message path of Get Item.
   */
  readyItemNow(itemId: string, expectedTypes?: readonly string[]): DecryptedItem | undefined {
    if (!this.runtime || !this.wait || this.wait.waiting > 0) return undefined;
    const item = this.runtime.keyring.cachedItem(this.vaultId, itemId);
    if (!item || isOAuthType(item.type)) return undefined;
    return checkReady(item, expectedTypes);
  }

  succeeded(): void {
    if (this.lastError !== undefined) {
      this.lastError = undefined;
      this.showState();
    }
  }

  /** Show a failure's code (never its message: the status is public on the canvas). */
  failed(err: unknown): void {
    this.showError(isVaultError(err) ? err.code : 'error');
  }

  private showError(code: string): void {
    this.lastError = code;
    this.node.status({ fill: 'red', shape: 'ring', text: code });
  }

  private showState(): void {
    if (this.lastError !== undefined || !this.runtime) return;
    const waiting = this.wait?.waiting ?? 0;
    if (this.runtime.keyring.isUnlocked(this.vaultId)) this.node.status({ fill: 'green', shape: 'dot', text: 'unlocked' });
    else if (waiting > 0) this.node.status({ fill: 'yellow', shape: 'ring', text: `locked: ${waiting} waiting` });
    else this.node.status({ fill: 'yellow', shape: 'ring', text: 'locked' });
  }

  close(): void {
    this.wait?.close();
    this.runtime?.setWaiting(this.vaultId, this.node.id, 0);
    this.runtime?.keyring.off('unlocked', this.onLockChange);
    this.runtime?.keyring.off('locked', this.onLockChange);
  }
}

/** The refusals shared by readyItem() and readyItemNow(). */
function checkReady(item: DecryptedItem, expectedTypes?: readonly string[]): DecryptedItem {
  if (expectedTypes && !expectedTypes.includes(item.type)) {
    throw new VaultError('wrong_type', `Connection "${item.name}" is of type ${item.type}; this node needs ${expectedTypes.join(' or ')}.`);
  }
  if (item.status === 'empty') {
    throw new VaultError('empty_connection', `Connection "${item.name}" is empty: fill it on the Vault page first.`);
  }
  if (item.status === 'incomplete') {
    throw new VaultError('incomplete_connection', `Connection "${item.name}" is missing required fields: complete it on the Vault page.`);
  }
  if (item.status === 'needs_reauth') {
    throw new VaultError('needs_reauth', `Connection "${item.name}" was refused by its server: reconnect it on the Vault page.`);
  }
  return item;
}
