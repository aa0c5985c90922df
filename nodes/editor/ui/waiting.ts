// Who waits for a locked vault on this runtime, now: nodes holding messages (with how many) and
// nodes whose vault reference has no value yet. Asked of the runtime (GET vault/unlock-requests)
// when the editor starts and after every vault/changed, vault/waiting and vault/unlock-needed, so
// an editor opened (or reloaded) after a node began to wait still offers the unlock, and an offer
// stops saying a node waits once its messages timed out or went on.
import { vaultClient } from './vault-client';

export interface WaitingNode {
  /** A vault id (a reference may name its vault by name). */
  vault: string;
  node: string;
  /** Messages held; 0 for a reference waiting for its value. */
  waiting: number;
  reference: boolean;
}

type Listener = () => void;

let current: WaitingNode[] = [];
const listeners = new Set<Listener>();
/** When the person answered "Not now" to a vault's unlock offer (shown on the Vault page). */
const putOff = new Map<string, number>();
let asking: Promise<void> | null = null;
let askAgain = false;

function asWaitingNode(x: unknown): WaitingNode | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const { vault, node, waiting, reference } = x as Record<string, unknown>;
  if (typeof vault !== 'string' || typeof node !== 'string') return undefined;
  const n = typeof waiting === 'number' && Number.isInteger(waiting) && waiting > 0 ? waiting : 0;
  return { vault, node, waiting: n, reference: reference === true };
}

async function ask(): Promise<void> {
  const { api } = await vaultClient();
  const answer = await api.call('GET', 'vault/unlock-requests');
  current = (Array.isArray(answer) ? answer : []).map(asWaitingNode).filter((w): w is WaitingNode => w !== undefined);
  for (const fn of listeners) {
    try { fn(); } catch (e) { console.warn('nr-vault: a view failed to redraw', e); }
  }
}

export const waiting = {
  /** Ask the runtime again (one request at a time; a call during one asks once more after it). */
  refresh(): Promise<void> {
    if (asking) {
      askAgain = true;
      return asking;
    }
    asking = ask().catch(() => undefined).finally(() => {
      asking = null;
      if (askAgain) {
        askAgain = false;
        void waiting.refresh();
      }
    });
    return asking;
  },
  /** The nodes waiting for a vault, known by its id or its name. */
  forVault(vault: { id: string; name?: string }): WaitingNode[] {
    return current.filter((w) => w.vault === vault.id || (vault.name !== undefined && w.vault === vault.name));
  },
  /** Messages held for a vault, over all its nodes. */
  messages(vault: { id: string; name?: string }): number {
    return waiting.forVault(vault).reduce((sum, w) => sum + w.waiting, 0);
  },
  all(): WaitingNode[] {
    return current.slice();
  },
  putOff(vaultId: string): void {
    putOff.set(vaultId, Date.now());
    for (const fn of listeners) fn();
  },
  putOffAt(vaultId: string): number | undefined {
    return putOff.get(vaultId);
  },
  clearPutOff(vaultId: string): void {
    putOff.delete(vaultId);
  },
  onChange(fn: Listener): () => void {
    listeners.add(fn);
    return () => { listeners.delete(fn); };
  },
};
