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
 */
export function markMasked(msg: NodeMessage, property: string): void {
  const marked = Array.isArray(msg[MASK_MARKER]) ? (msg[MASK_MARKER] as string[]) : [];
  if (!marked.includes(property)) marked.push(property);
  msg[MASK_MARKER] = marked;
}

/** The debug copy of a marked message: a clone with every marked property replaced. */
export function maskedCopy(RED: NodeRedApi, msg: NodeMessage): NodeMessage {
  const copy = RED.util.cloneMessage(msg);
  for (const property of copy[MASK_MARKER] as string[]) {
    if (RED.util.getMessageProperty(copy, property) !== undefined) RED.util.setMessageProperty(copy, property, MASKED_TEXT, false);
  }
  return copy;
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
