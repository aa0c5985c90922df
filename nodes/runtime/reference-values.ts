import { isVaultError, itemKey, type VaultReference, type VaultRuntime } from '../../credentials';

/** Why a reference has no value right now; shown in the waiting node's status. */
export type WaitReason =
  | 'starting' // the vault runtime has not started yet
  | 'locked'
  | 'reading' // unlocked, the item is being read and decrypted
  | 'not_found'
  | 'empty_connection'
  | 'needs_reauth'
  | 'no_field' // the item has no such field, or it is empty
  | 'tampered'
  | 'store_unavailable';

export type Lookup = { value: string } | { reason: WaitReason };

/**
 * The values of references, synchronously, as Node-RED's substitution needs them: from the
 * keyring's cache of decrypted items, which warm() fills. Holds no plaintext itself.
 */
export class ReferenceValues {
  private runtime?: VaultRuntime;
  /** The last failure reading an item, until it is read again. */
  private readonly failures = new Map<string, WaitReason>();
  private readonly warming = new Map<string, Promise<void>>();

  attach(runtime: VaultRuntime): void {
    this.runtime = runtime;
  }

  get attached(): VaultRuntime | undefined {
    return this.runtime;
  }

  now(ref: VaultReference): Lookup {
    const rt = this.runtime;
    if (!rt) return { reason: 'starting' };
    if (!rt.keyring.isUnlocked(ref.vault)) return { reason: 'locked' };
    const item = rt.keyring.cachedItem(ref.vault, ref.item);
    if (!item) return { reason: this.failures.get(itemKey(ref)) ?? 'reading' };
    if (item.status === 'needs_reauth') return { reason: 'needs_reauth' };
    if (item.status === 'empty') return { reason: 'empty_connection' };
    const value = item.fields[ref.field];
    if (typeof value !== 'string' || value === '') return { reason: 'no_field' };
    return { value };
  }

  /** Read and decrypt an item into the keyring's cache (once at a time per item); never rejects. */
  warm(vault: string, item: string): Promise<void> {
    const rt = this.runtime;
    if (!rt || !rt.keyring.isUnlocked(vault)) return Promise.resolve();
    const key = itemKey({ vault, item });
    let p = this.warming.get(key);
    if (!p) {
      const reading: Promise<void> = rt.keyring.getItem(vault, item).then(
        () => {
          this.failures.delete(key);
        },
        (e: unknown) => {
          if (isVaultError(e, 'locked')) return;
          this.failures.set(key, isVaultError(e, 'not_found') ? 'not_found' : isVaultError(e, 'tampered') ? 'tampered' : 'store_unavailable');
        },
      ).finally(() => {
        if (this.warming.get(key) === reading) this.warming.delete(key);
      });
      this.warming.set(key, (p = reading));
    }
    return p;
  }

  /** A change was announced: a failure seen before may be gone, and a read in flight is outdated. */
  forget(vault: string, item?: string): void {
    for (const map of [this.failures, this.warming] as Map<string, unknown>[]) {
      if (item !== undefined) map.delete(itemKey({ vault, item }));
      else for (const k of [...map.keys()]) if (k.startsWith(`${vault}/`)) map.delete(k);
    }
  }
}
