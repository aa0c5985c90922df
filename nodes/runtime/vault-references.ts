/**
 * Vault references in any node: `${vault:<vaultId>/<itemId>/<field>}` as the whole value of a
 * property or credential of any node, core or third-party.
 *
 * How the value gets in. Node-RED substitutes `${NAME}` itself when it creates a node: properties in
 * flows/util.js createNode, credentials in nodes/index.js createNode, both through
 * `mapEnvVarProperties`, which asks `RED.util.getSetting(node, NAME, flow)` (the same code in 4.1 and
 * 5.0). We wrap that one function, for names that start with `vault:` only. Chosen over the other
 * ways a plugin could supply a value because:
 *   - putting values into `process.env` (or a flow's env) leaves them readable by any code, e.g. a
 *     function node's `env.get()`, for as long as they are there;
 *   - Node-RED has no hook around node creation (its hooks are on the message path and installs),
 *     and wrapping constructors would need its private type registry;
 *   - getSetting is public API, called by name (`redUtil.getSetting(...)`) on every substitution.
 * The wrapper answers a `vault:` name only to the node whose own definition or credentials hold that
 * reference, and only while that node is being created (it is not running yet). Anyone else asking
 * (`env.get("vault:…")` in a function node, a node asking later) gets what Node-RED would answer
 * without this package: nothing. The value goes into the new node's own copy of its config or
 * credentials, never into Node-RED's credential store, the flows, or process.env.
 *
 * Locked at start: when a value is not available (vault locked, item missing, empty, needs_reauth,
 * field empty), the lookup throws. Node-RED then logs the message and does not create the node, so
 * no server ever receives the reference text. The node shows a yellow "waiting" status, editors are
 * asked to unlock the vault, and the node is started as soon as the value is there.
 *
 * Live: when a referenced item changes (this runtime or, on PostgreSQL, another one), each node whose
 * values differ from the ones it was created with is restarted (with the users of a config node, as
 * a deploy would), through NodeRestarter.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { parseReferenceName, referenceName, type StoreChange, type VaultReference, type VaultRuntime } from '../../credentials';
import type { NodeRedApi } from '../shared/node-red';
import { ReferenceIndex, type NodeDefinition } from './reference-index';
import { ReferenceValues, type WaitReason } from './reference-values';
import { NodeRestarter, isFlowLike, type FlowLike } from './node-restarter';

/** One reference of the deployed flows, as GET vault/references lists it. */
export interface ReferenceListing {
  node: string;
  type: string;
  z?: string;
  path: string;
  vault: string;
  item: string;
  field: string;
  waiting?: WaitReason;
}

type GetSetting = (node: unknown, name: string, flow?: unknown) => unknown;

interface NodeUse {
  /** The definition that holds the references (a subflow instance's node: its template). */
  def: string;
  type: string;
  flow?: FlowLike;
  /** Keyed fingerprints of the values the node was created with, by reference name. */
  used: Map<string, string>;
  waiting?: { ref: VaultReference; reason: WaitReason };
}

/** The object Node-RED passes to getSetting: a node, or the copy of its config being created. */
interface AskingNode {
  id?: unknown;
  _alias?: unknown;
  _flow?: unknown;
  type?: unknown;
}

/** An editor that just connected subscribes to its topics a moment later. */
const NEW_EDITOR_DELAY_MS = 1_500;

const REASON_TEXT: Record<WaitReason, string> = {
  starting: 'the vault to start',
  locked: 'the vault to be unlocked',
  reading: 'the connection to be read',
  not_found: 'a connection that does not exist',
  empty_connection: 'the connection to be filled',
  needs_reauth: 'the connection to be reconnected',
  no_field: 'a field of the connection that is empty',
  tampered: 'a connection that does not open (tampered)',
  store_unavailable: 'the store to answer',
};

export class VaultReferences {
  private index = new ReferenceIndex([], () => undefined);
  private readonly uses = new Map<string, NodeUse>();
  private readonly values = new ReferenceValues();
  readonly restarter: NodeRestarter;
  private readonly fingerprintKey = randomBytes(32);
  private runtime?: VaultRuntime;
  private readonly onChanged = (c: StoreChange): void => this.changed(c.vault, c.item);

  constructor(private readonly RED: NodeRedApi, private readonly original: GetSetting) {
    this.restarter = new NodeRestarter({
      flowOf: (id) => this.flowOf(id),
      usersOf: (id) => this.index.usersOf(this.uses.get(id)?.def ?? id),
      beforeStart: (ids) => {
        for (const id of ids) {
          const use = this.uses.get(id);
          if (use) use.waiting = undefined;
          this.status(id, {});
        }
      },
      warn: (m) => RED.log.warn(m),
    });
    // Nothing restarts before Node-RED has started the flows once.
    this.restarter.deployStarted();
  }

  /** The wrapped RED.util.getSetting, for `vault:` names. */
  lookup(asking: unknown, name: string, flow: unknown): unknown {
    const ref = parseReferenceName(name);
    const node = (typeof asking === 'object' && asking !== null ? asking : {}) as AskingNode;
    const def = this.index.declares(node.id, name) ? (node.id as string) : this.index.declares(node._alias, name) ? (node._alias as string) : undefined;
    // Not this node's own reference, or asked after the node was created: what Node-RED would say.
    if (!ref || !def || this.RED.nodes.getNode(node.id as string)) return this.original(asking, name, flow);
    const id = node.id as string;
    let use = this.uses.get(id);
    if (!use) this.uses.set(id, (use = { def, type: String(node.type ?? ''), used: new Map() }));
    const owner = isFlowLike(flow) ? flow : isFlowLike(node._flow) ? node._flow : undefined;
    if (owner) use.flow = owner;
    const got = this.values.now(ref);
    if ('value' in got) {
      use.used.set(name, this.fingerprint(got.value));
      if (use.waiting && referenceName(use.waiting.ref) === name) use.waiting = undefined;
      return got.value;
    }
    use.used.delete(name);
    use.waiting = { ref, reason: got.reason };
    this.waiting(id, ref, got.reason);
    throw new Error(`nr-vault: not started yet: it waits for ${REASON_TEXT[got.reason]} (${name}); it starts by itself then.`);
  }

  /** Node-RED is about to create nodes from this configuration (start or deploy). */
  flowsStarting(definitions: readonly NodeDefinition[]): void {
    const creds = this.RED.nodes.getCredentials?.bind(this.RED.nodes);
    this.index = new ReferenceIndex(definitions, (id) => creds?.(id));
    for (const [id, use] of this.uses) {
      if (this.index.referencesOf(use.def).length === 0) this.uses.delete(id);
    }
    for (const refs of this.index.items().values()) void this.values.warm(refs[0].vault, refs[0].item);
  }

  attach(runtime: VaultRuntime): void {
    if (this.runtime === runtime) return;
    this.runtime?.keyring.off('changed', this.onChanged);
    this.runtime = runtime;
    this.values.attach(runtime);
    runtime.keyring.on('changed', this.onChanged);
    // Nodes that waited for the runtime to start.
    for (const use of this.uses.values()) if (use.waiting) this.changed(use.waiting.ref.vault, use.waiting.ref.item);
  }

  close(): void {
    this.runtime?.keyring.off('changed', this.onChanged);
    this.restarter.close();
  }

  /**
   * An editor connected: tell it which locked vaults nodes wait for (one node named per vault), as
   * the runtime's request to unlock did for the editors open then. Only to editors that connect, so
   * this is not the flood the runtime's own rate limit of unlock requests prevents.
   */
  editorConnected(): void {
    setTimeout(() => {
      const rt = this.runtime;
      if (!rt) return;
      const asked = new Set<string>();
      for (const [id, use] of this.uses) {
        const w = use.waiting;
        if (w?.reason !== 'locked' || asked.has(w.ref.vault)) continue;
        asked.add(w.ref.vault);
        const vault = w.ref.vault;
        void rt.store.getVault(vault).then(
          (record) => this.RED.comms.publish('vault/unlock-needed', { vault, name: record?.name ?? vault, node: id }, false),
          () => undefined,
        );
      }
    }, NEW_EDITOR_DELAY_MS).unref();
  }

  /**
   * Every reference of the deployed flows, for the editor and the Vault page: node, property path,
   * vault, item, field, and why it waits if it does. Ids only, never a value.
   */
  list(): ReferenceListing[] {
    const waitingByDef = new Map<string, WaitReason>();
    for (const use of this.uses.values()) if (use.waiting) waitingByDef.set(use.def, use.waiting.reason);
    const out: ReferenceListing[] = [];
    for (const id of this.index.referencingNodes()) {
      const def = this.index.definition(id);
      const waiting = waitingByDef.get(id);
      for (const p of this.index.placesOf(id)) {
        out.push({
          node: id, type: def?.type ?? '', ...(typeof def?.z === 'string' ? { z: def.z } : {}),
          path: p.path, vault: p.vault, item: p.item, field: p.field, ...(waiting ? { waiting } : {}),
        });
      }
    }
    return out;
  }

  /** A vault or item changed: read what nodes use again, restart those whose values changed. */
  private changed(vault: string, item?: string): void {
    this.values.forget(vault, item);
    const affected = new Map<string, VaultReference>();
    for (const refs of this.index.items().values()) {
      const r = refs[0];
      if (r.vault === vault && (item === undefined || r.item === item)) affected.set(`${r.vault}/${r.item}`, r);
    }
    for (const r of affected.values()) {
      void this.values.warm(r.vault, r.item).then(() => this.recheck(r.vault, r.item));
    }
  }

  private recheck(vault: string, item: string): void {
    const restart: string[] = [];
    for (const [id, use] of this.uses) {
      if (use.waiting) {
        const w = use.waiting.ref;
        if (w.vault !== vault || w.item !== item) continue;
        const got = this.values.now(w);
        if ('value' in got) restart.push(id);
        else if (got.reason !== use.waiting.reason) {
          use.waiting.reason = got.reason;
          this.waiting(id, w, got.reason);
        }
        continue;
      }
      for (const [name, fp] of use.used) {
        const r = parseReferenceName(name)!;
        if (r.vault !== vault || r.item !== item) continue;
        const got = this.values.now(r);
        // A running node keeps its values while the vault is locked or the item is unusable.
        if ('value' in got && this.fingerprint(got.value) !== fp) {
          restart.push(id);
          break;
        }
      }
    }
    if (restart.length) this.restarter.request(restart);
  }

  private waiting(id: string, ref: VaultReference, reason: WaitReason): void {
    this.status(id, { fill: 'yellow', shape: 'ring', text: `waiting for vault: ${reason}` });
    if (reason === 'locked') this.runtime?.requestUnlock(ref.vault, id);
    if (reason === 'reading') void this.values.warm(ref.vault, ref.item).then(() => this.recheck(ref.vault, ref.item));
  }

  private status(id: string, status: Record<string, string>): void {
    this.RED.events.emit?.('node-status', { id, status });
  }

  private flowOf(id: string): FlowLike | undefined {
    const running = this.RED.nodes.getNode(id) as { _flow?: unknown } | null;
    if (running && isFlowLike(running._flow)) return running._flow;
    return this.uses.get(id)?.flow;
  }

  private fingerprint(value: string): string {
    return createHmac('sha256', this.fingerprintKey).update(value).digest('base64');
  }
}

/** One per Node-RED runtime in this process (its RED.util object is shared by every module). */
const installed = new WeakMap<object, VaultReferences>();

/**
 * Wrap RED.util.getSetting and follow Node-RED's flow starts. Call before flows start (when the
 * package's nodes are registered). Returns the same instance for the same runtime.
 */
export function installVaultReferences(RED: NodeRedApi): VaultReferences | undefined {
  const util = RED.util as NodeRedApi['util'] & { getSetting?: GetSetting };
  const existing = installed.get(util);
  if (existing) return existing;
  const original = util.getSetting;
  if (typeof original !== 'function') {
    RED.log.warn('nr-vault: this Node-RED has no RED.util.getSetting; vault references in other nodes are not available.');
    return undefined;
  }
  const refs = new VaultReferences(RED, (node, name, flow) => original.call(util, node, name, flow));
  util.getSetting = function getSetting(node: unknown, name: string, flow?: unknown): unknown {
    if (typeof name === 'string' && name.startsWith('vault:')) return refs.lookup(node, name, flow);
    return original.call(util, node, name, flow);
  };
  installed.set(util, refs);
  RED.events.on('flows:starting', (e: { config?: { flows?: NodeDefinition[] } }) => {
    try {
      refs.flowsStarting(Array.isArray(e?.config?.flows) ? e.config.flows : []);
    } catch (err) {
      RED.log.warn(`nr-vault: reading the flows for vault references failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  RED.events.on('flows:stopping', () => refs.restarter.deployStarted());
  RED.events.on('flows:started', () => refs.restarter.deployEnded());
  RED.events.on('comms:connection-added', () => refs.editorConnected());
  return refs;
}

/** The references of the runtime RED belongs to, if installed. */
export function vaultReferencesOf(RED: NodeRedApi): VaultReferences | undefined {
  return installed.get(RED.util);
}
