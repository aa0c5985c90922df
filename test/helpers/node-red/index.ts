/**
 * The one way tests start Node-RED (whichever one NR_VAULT_NODE_RED selects, see selected.ts):
 *
 *   startNodeRed({ users: [ADMIN], vault: {...}, flows })  a real process, with adminAuth
 *   startNodeRed({ tty: true, ... })                      on a pseudo-terminal (console prompt)
 *   startNodeRed({ install: 'nodesDir' })                 loaded as `npm start` does
 *   nr.restart({ vault: {...} })                          same user directory and port
 *   startNodeRed({ embedded: true, flows })               in this process (benchmarks)
 *
 * node-red-node-test-helper, for node tests, is set up for the same Node-RED in test-helper.ts.
 * Every process is guarded (guard.ts): none outlives the test run, however mocha ends.
 */
import { EmbeddedNodeRed, type EmbeddedOptions } from './embedded';
import { NodeRedProcess, type ProcessOptions } from './process';

export { EmbeddedNodeRed, type EmbeddedOptions, type RuntimeFlowNode } from './embedded';
export { installPackage, type Install } from './install';
export { NodeRedProcess, type ProcessOptions } from './process';
export { NODE_RED_DIR, NODE_RED_MAJOR, NODE_RED_VERSION, coreNode, requireFromNodeRed } from './selected';
export { ADMIN, type NodeRedUser } from './settings';

export function startNodeRed(options: EmbeddedOptions & { embedded: true }): Promise<EmbeddedNodeRed>;
export function startNodeRed(options?: ProcessOptions & { embedded?: false }): Promise<NodeRedProcess>;
export function startNodeRed(options: (ProcessOptions & { embedded?: false }) | (EmbeddedOptions & { embedded: true }) = {}): Promise<NodeRedProcess | EmbeddedNodeRed> {
  if (options.embedded) return EmbeddedNodeRed.start(options);
  return NodeRedProcess.start(options);
}
