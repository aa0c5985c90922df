// What the editor knows of the vaults: the type table, the vaults and their items, fetched on
// demand, cached, and dropped when the runtime says something changed (RED.comms 'vault/changed',
// sent for this editor's writes, other editors', the runtime's own token refreshes and, with a
// shared store, other runtimes').
import { api } from './api.js';

let typesP = null;
let vaultsP = null;
const itemsP = new Map();
const listeners = new Set();

export const state = {
  types() {
    if (!typesP) typesP = api.types().catch((e) => { typesP = null; throw e; });
    return typesP;
  },
  async type(name) {
    return (await this.types()).find((t) => t.name === name);
  },
  vaults() {
    if (!vaultsP) vaultsP = api.vaults().catch((e) => { vaultsP = null; throw e; });
    return vaultsP;
  },
  async vault(id) {
    return (await this.vaults()).find((v) => v.id === id);
  },
  items(vault) {
    if (!itemsP.has(vault)) itemsP.set(vault, api.items(vault).catch((e) => { itemsP.delete(vault); throw e; }));
    return itemsP.get(vault);
  },
  /** Forget what is cached for a vault (or everything) and tell every view to redraw. */
  changed(change) {
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
  onChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};

let subscribed = false;
export function subscribeToRuntime() {
  if (subscribed) return;
  subscribed = true;
  RED.comms.subscribe('vault/changed', (_topic, msg) => state.changed(msg && typeof msg === 'object' ? msg : {}));
}
