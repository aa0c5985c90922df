/** One node's messages held for a locked vault (ids and a count only: safe for any editor). */
export interface WaitingEntry {
  vault: string;
  node: string;
  waiting: number;
}

/** Bounds what a flow with very many nodes can make the runtime keep (one entry per node). */
const MAX_ENTRIES = 10_000;

/**
 * How many messages each node holds for each locked vault, now. An editor that connects later
 * (a reload, a second browser) reads it through GET vault/unlock-requests instead of relying on the
 * one 'vault/unlock-needed' event sent when a node's queue went from empty to one.
 */
export class WaitingMessages {
  private readonly byKey = new Map<string, WaitingEntry>();

  /** Records a node's current count; returns the entry when it changed (0 removes it). */
  set(vault: string, node: string, waiting: number): WaitingEntry | undefined {
    const key = `${vault}\0${node}`;
    const count = Number.isInteger(waiting) && waiting > 0 ? waiting : 0;
    const before = this.byKey.get(key)?.waiting ?? 0;
    if (before === count) return undefined;
    if (count === 0) this.byKey.delete(key);
    else if (this.byKey.has(key) || this.byKey.size < MAX_ENTRIES) this.byKey.set(key, { vault, node, waiting: count });
    else return undefined;
    return { vault, node, waiting: count };
  }

  list(): WaitingEntry[] {
    return [...this.byKey.values()].map((e) => ({ ...e }));
  }
}
