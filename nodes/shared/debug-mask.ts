import type { NodeMessage, NodeRedApi } from './node-red';

/** Where Get Item records which message properties hold vault values. */
export const MASK_MARKER = '_vaultMasked';
export const MASKED_TEXT = '[masked by vault]';
const HOOK = 'preDeliver.nrVaultDebugMask';

interface DeliverEvent {
  msg: NodeMessage;
  destination: { node?: { type?: string } };
}

let users = 0;

/** A property expression or a path of keys. */
type Property = string | readonly string[];
/** One mark: the property, and (for an object value such as a whole item) which of its keys are secret. */
interface Mark {
  property: Property;
  fields?: readonly string[];
}

/**
 * Mark `property` of `msg` as holding a vault value: a debug node that receives the message shows
 * it masked. Only the copy delivered to the debug node is changed, never the flow's message.
 * `property` is a Node-RED property expression (the node's own setting) or a path of keys, for a
 * key that comes from a connection (a header name such as `X\` or `a"]` is no safe expression).
 * With `fields`, the value is an object (a whole item): only those keys of it are masked, so the
 * debug sidebar still shows the item's shape and its plain fields.
 */
export function markMasked(msg: NodeMessage, property: Property, fields?: readonly string[]): void {
  const marked = Array.isArray(msg[MASK_MARKER]) ? (msg[MASK_MARKER] as unknown[]) : [];
  const mark: Mark = fields ? { property: copyOf(property), fields: [...fields] } : { property: copyOf(property) };
  const key = JSON.stringify(mark);
  if (!marked.some((m) => JSON.stringify(m) === key)) marked.push(mark);
  msg[MASK_MARKER] = marked;
}

function copyOf(property: Property): Property {
  return typeof property === 'string' ? property : [...property];
}

function isKeys(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((k) => typeof k === 'string');
}

/**
 * The debug copy of a marked message: a clone with every marked property replaced. A mark that
 * cannot be applied fails closed: the debug node then gets only the message id and a masked payload.
 */
export function maskedCopy(RED: NodeRedApi, msg: NodeMessage): NodeMessage {
  const copy = RED.util.cloneMessage(msg);
  try {
    for (const mark of copy[MASK_MARKER] as unknown[]) {
      // A bare string or path is the form of earlier versions (a message still in flight across a deploy).
      const m = (typeof mark === 'string' || isKeys(mark) ? { property: mark } : mark) as Partial<Mark> | null;
      if (!m || (typeof m.property !== 'string' && !isKeys(m.property)) || (m.fields !== undefined && !isKeys(m.fields))) throw new Error('unknown mark');
      maskProperty(RED, copy, m.property, m.fields);
    }
  } catch {
    return { _msgid: msg._msgid, payload: MASKED_TEXT };
  }
  return copy;
}

/** Mask the value at `property` (if it is there): all of it, or the named keys of an object. */
function maskProperty(RED: NodeRedApi, copy: NodeMessage, property: Property, fields: readonly string[] | undefined): void {
  const value = typeof property === 'string' ? RED.util.getMessageProperty(copy, property) : valueAt(copy, property);
  if (value === undefined) return;
  if (fields && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const f of fields) if (Object.prototype.hasOwnProperty.call(obj, f)) obj[f] = MASKED_TEXT;
    return;
  }
  // Not an object (the flow replaced it), or one value: mask all of it.
  if (typeof property === 'string') RED.util.setMessageProperty(copy, property, MASKED_TEXT, false);
  else maskPath(copy, property);
}

/** The value at `path` (own properties only), or undefined. */
function valueAt(target: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = target;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Replace the value at `path` (own properties only), if it is there. */
function maskPath(target: Record<string, unknown>, path: readonly string[]): void {
  const parent = valueAt(target, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof parent === 'object' && parent !== null && last !== undefined && Object.prototype.hasOwnProperty.call(parent, last)) {
    (parent as Record<string, unknown>)[last] = MASKED_TEXT;
  }
}

/**
 * The preDeliver hook runs for every message of the runtime, so it is added only while some node
 * asks for masking (reference counted), and does nothing but two property checks otherwise.
 */
export function useDebugMask(RED: NodeRedApi): () => void {
  // Every Node-RED runtime has hooks (since 1.3); a host without them cannot mask, so say so.
  const hooks = RED.hooks;
  if (!hooks) {
    RED.log.warn('nr-vault: this Node-RED has no message hooks, so debug nodes will not mask vault values');
    return () => undefined;
  }
  if (users++ === 0) {
    hooks.add(HOOK, (event: DeliverEvent) => {
      if (event.destination.node?.type === 'debug' && Array.isArray(event.msg[MASK_MARKER])) {
        event.msg = maskedCopy(RED, event.msg);
      }
    });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0) hooks.remove(HOOK);
  };
}
