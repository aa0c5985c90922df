/**
 * Restarts single nodes the way a "modified nodes" deploy does, without a deploy: the Flow object
 * that owns a node stops it (`flow.stop([ids])`) and starts again (`flow.start()`), which creates
 * every node of that flow that is not running. Node-RED has no public call for this; Flow's
 * stop/start (the same in 4.1 and 5.0) are what its own deploys call for changed nodes.
 */

/** The part of Node-RED's Flow / Subflow class used here. */
export interface FlowLike {
  id?: string;
  TYPE?: string;
  isGlobalFlow?: boolean;
  parent?: FlowLike;
  /** Set on a subflow instance: its instance node in the parent flow. */
  subflowInstance?: { id: string };
  stop(stopList?: string[], removedList?: string[]): Promise<unknown>;
  start(diff?: unknown): Promise<void>;
}

export function isFlowLike(v: unknown): v is FlowLike {
  return typeof v === 'object' && v !== null && typeof (v as FlowLike).stop === 'function' && typeof (v as FlowLike).start === 'function';
}

/**
 * A node inside a subflow instance restarts with its whole instance: the unit is the outermost
 * instance node, in the flow that holds it.
 */
export function restartUnit(id: string, flow: FlowLike): { id: string; flow: FlowLike } {
  let unit = { id, flow };
  for (let depth = 0; depth < 16; depth++) {
    const f = unit.flow;
    if (!f.subflowInstance || !f.parent || !isFlowLike(f.parent)) break;
    unit = { id: f.subflowInstance.id, flow: f.parent };
  }
  return unit;
}

export interface RestartHooks {
  /** The flow that owns a node, if known. */
  flowOf(id: string): FlowLike | undefined;
  /** Nodes to restart with `id` (users of a config node). */
  usersOf(id: string): string[];
  /** Called with every node about to be started again (to clear a waiting status). */
  beforeStart(ids: string[]): void;
  warn(message: string): void;
}

/**
 * Collects restart requests for a short moment, then restarts them together, one batch at a time,
 * and never while Node-RED itself stops or starts flows (a deploy): those wait for it to end.
 */
export class NodeRestarter {
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private deploying = false;
  private closed = false;
  /** Batches done: tests and benchmarks wait on it. */
  restarts = 0;

  constructor(private readonly hooks: RestartHooks, private readonly batchMs = 20) {}

  request(ids: Iterable<string>): void {
    if (this.closed) return;
    for (const id of ids) this.pending.add(id);
    this.schedule();
  }

  /** Node-RED starts stopping flows (a deploy or shutdown). */
  deployStarted(): void {
    this.deploying = true;
  }

  /** Node-RED has started flows: what waited may go now. */
  deployEnded(): void {
    this.deploying = false;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending.clear();
  }

  /** Resolves when no restart is scheduled or running. */
  async idle(): Promise<void> {
    while (this.timer || this.pending.size) {
      await new Promise((r) => setTimeout(r, 5));
      if (this.closed) return;
    }
    await this.running;
  }

  private schedule(): void {
    if (this.timer || this.pending.size === 0 || this.deploying || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.deploying || this.closed) return;
      const ids = [...this.pending];
      this.pending.clear();
      this.running = this.running.then(() => this.restart(ids)).catch((e: unknown) => {
        this.hooks.warn(`nr-vault: restarting nodes failed: ${e instanceof Error ? e.message : String(e)}`);
      }).finally(() => {
        this.restarts++;
      });
    }, this.batchMs);
  }

  private async restart(ids: string[]): Promise<void> {
    const all = new Set(ids);
    for (const id of ids) for (const u of this.hooks.usersOf(id)) all.add(u);
    const byFlow = new Map<FlowLike, Set<string>>();
    for (const id of all) {
      const flow = this.hooks.flowOf(id);
      if (!flow) continue; // not running and never seen: a deploy starts it
      const unit = restartUnit(id, flow);
      let set = byFlow.get(unit.flow);
      if (!set) byFlow.set(unit.flow, (set = new Set()));
      set.add(unit.id);
    }
    const flows = [...byFlow.keys()];
    const global = flows.filter((f) => f.isGlobalFlow);
    const tabs = flows.filter((f) => !f.isGlobalFlow);
    // As a deploy does: users stop before the config nodes they use, config nodes start first.
    for (const f of [...tabs, ...global]) await f.stop([...byFlow.get(f)!], []);
    this.hooks.beforeStart([...byFlow.values()].flatMap((s) => [...s]));
    for (const f of [...global, ...tabs]) await f.start();
  }
}
