import { VaultError, lockedError, type VaultRuntime } from '../../credentials';

export interface UnlockWaitOptions {
  /** How long a message may wait for an unlock; 0 fails at once. */
  waitMs: number;
  /** How many messages may wait at once; one more is `queue_full`. */
  maxQueue: number;
  /** Told whenever the number of waiting messages changes. */
  onWaiting?: (waiting: number) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Holds a node's messages while its vault is locked, releases them in arrival order when it is
 * unlocked, and fails each one that waited longer than allowed. One per node.
 */
export class UnlockWait {
  private queue: Waiter[] = [];
  private readonly onUnlocked = (vault: string): void => {
    if (vault === this.vaultId) this.release();
  };

  constructor(
    private readonly runtime: VaultRuntime,
    private readonly vaultId: string,
    private readonly nodeId: string,
    private readonly options: UnlockWaitOptions,
  ) {
    runtime.keyring.on('unlocked', this.onUnlocked);
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves at once when the vault is unlocked and nobody waits before this message. */
  ready(): Promise<void> {
    if (this.runtime.keyring.isUnlocked(this.vaultId) && this.queue.length === 0) return Promise.resolve();
    if (this.options.waitMs <= 0) {
      this.runtime.requestUnlock(this.vaultId, this.nodeId);
      return Promise.reject(lockedError(this.vaultId));
    }
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new VaultError('queue_full', `${this.queue.length} messages are already waiting for vault "${this.vaultId}" to be unlocked; this one was dropped.`));
    }
    if (this.queue.length === 0) this.runtime.requestUnlock(this.vaultId, this.nodeId);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.queue = this.queue.filter((w) => w !== waiter);
          this.options.onWaiting?.(this.queue.length);
          reject(lockedError(this.vaultId));
        }, this.options.waitMs),
      };
      this.queue.push(waiter);
      this.options.onWaiting?.(this.queue.length);
    });
  }

  private release(): void {
    const released = this.queue;
    this.queue = [];
    for (const w of released) {
      clearTimeout(w.timer);
      w.resolve();
    }
    if (released.length) this.options.onWaiting?.(0);
  }

  /** The node is closing: fail whatever still waits, and stop listening. */
  close(): void {
    this.runtime.keyring.off('unlocked', this.onUnlocked);
    const left = this.queue;
    this.queue = [];
    for (const w of left) {
      clearTimeout(w.timer);
      w.reject(new VaultError('locked', `The node was stopped while a message waited for vault "${this.vaultId}" to be unlocked.`));
    }
  }
}
