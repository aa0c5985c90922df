// What the editor knows of the vaults: the type table, the vaults and their items, fetched on
// demand, cached, and dropped when the runtime says something changed (RED.comms 'vault/changed',
// sent for this editor's writes, other editors', the runtime's own token refreshes and, with a
// shared store, other runtimes').
import { api } from './api';
import type { ConnectionType, ItemMetadata, VaultChange, VaultInfo } from './wire-types';

type Listener = (change: VaultChange) => void;

let typesP: Promise<ConnectionType[]> | null = null;
let vaultsP: Promise<VaultInfo[]> | null = null;
const itemsP = new Map<string, Promise<ItemMetadata[]>>();
const listeners = new Set<Listener>();

export const state = {
  types(): Promise<ConnectionType[]> {
    if (!typesP) typesP = api.types().catch((e: unknown) => { typesP = null; throw e; });
    return typesP;
  },
  async type(name: string): Promise<ConnectionType | undefined> {
    return (await this.types()).find((t) => t.name === name);
  },
  vaults(): Promise<VaultInfo[]> {
    if (!vaultsP) vaultsP = api.vaults().catch((e: unknown) => { vaultsP = null; throw e; });
    return vaultsP;
  },
  async vault(id: string): Promise<VaultInfo | undefined> {
    return (await this.vaults()).find((v) => v.id === id);
  },
  items(vault: string): Promise<ItemMetadata[]> {
    let p = itemsP.get(vault);
    if (!p) {
      p = api.items(vault).catch((e: unknown) => { itemsP.delete(vault); throw e; });
      itemsP.set(vault, p);
    }
    return p;
  },
  /** Forget what is cached for a vault (or everything) and tell every view to redraw. */
  changed(change?: VaultChange): void {
    if (!change || !change.vault) {
      vaultsP = null;
      itemsP.clear();
    } else {
      if (!change.item) vaultsP = null;
      itemsP.delete(change.vault);
    }
    for (const fn of listeners) {
      try { fn(change || {}); } catch (e) { console.warn('nr-vault: a view failed to redraw', e); }
    }
  },
  /** fn(change) on every change; returns a function that stops listening. */
  onChange(fn: Listener): () => void {
    listeners.add(fn);
    return () => { listeners.delete(fn); };
  },
};

export type EditorState = typeof state;

/** A vault/changed message as the runtime sends it; anything else means "everything may have changed". */
function asChange(msg: unknown): VaultChange {
  if (!msg || typeof msg !== 'object') return {};
  const { vault, item } = msg as { vault?: unknown; item?: unknown };
  return { vault: typeof vault === 'string' ? vault : undefined, item: typeof item === 'string' ? item : undefined };
}

let subscribed = false;
export function subscribeToRuntime(): void {
  if (subscribed) return;
  subscribed = true;
  RED.comms.subscribe('vault/changed', (_topic, msg) => state.changed(asChange(msg)));
}
