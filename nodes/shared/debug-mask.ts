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

/**
 * Mark `property` of `msg` as holding a vault value: a debug node that receives the message shows
 * it masked. Only the copy delivered to the debug node is changed, never the flow's message.
 * `property` is a Node-RED property expression (the node's own setting) or a path of keys, for a
 * key that comes from a connection (a header name such as `X\` or `a"]` is no safe expression).
 */
export function markMasked(msg: NodeMessage, property: string | readonly string[]): void {
  const marked = Array.isArray(msg[MASK_MARKER]) ? (msg[MASK_MARKER] as (string | string[])[]) : [];
  const key = JSON.stringify(property);
  if (!marked.some((m) => JSON.stringify(m) === key)) marked.push(typeof property === 'string' ? property : [...property]);
  msg[MASK_MARKER] = marked;
}

/**
 * The debug copy of a marked message: a clone with every marked property replaced. A mark that
 * cannot be applied fails closed: the debug node then gets only the message id and a masked payload.
 */
export function maskedCopy(RED: NodeRedApi, msg: NodeMessage): NodeMessage {
  const copy = RED.util.cloneMessage(msg);
  try {
    for (const property of copy[MASK_MARKER] as unknown[]) {
      if (Array.isArray(property) && property.every((k) => typeof k === 'string')) maskPath(copy, property as string[]);
      else if (typeof property === 'string') {
        if (RED.util.getMessageProperty(copy, property) !== undefined) RED.util.setMessageProperty(copy, property, MASKED_TEXT, false);
      } else throw new Error('unknown mark');
    }
  } catch {
    return { _msgid: msg._msgid, payload: MASKED_TEXT };
  }
  return copy;
}

/** Replace the value at `path` (own properties only), if it is there. */
function maskPath(target: Record<string, unknown>, path: readonly string[]): void {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return;
    node = (node as Record<string, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (typeof node === 'object' && node !== null && last !== undefined && Object.prototype.hasOwnProperty.call(node, last)) {
    (node as Record<string, unknown>)[last] = MASKED_TEXT;
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
