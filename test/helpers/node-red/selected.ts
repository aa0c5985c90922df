import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The Node-RED every test runs against: the directory named by NR_VAULT_NODE_RED (a
 * `node_modules/node-red` folder, e.g. Node-RED 5 installed by .ci/run into its cache), or else
 * this project's devDependency (Node-RED 4.1). Tests never `require('node-red')` themselves:
 * they take Node-RED, and what ships with it (its core nodes, bcryptjs, ws), from here.
 */
export const NODE_RED_DIR = process.env.NR_VAULT_NODE_RED
  ? resolve(process.env.NR_VAULT_NODE_RED)
  : dirname(require.resolve('node-red/package.json'));

/** e.g. "4.1.15" or "5.0.7". */
export const NODE_RED_VERSION = (JSON.parse(readFileSync(join(NODE_RED_DIR, 'package.json'), 'utf8')) as { version: string }).version;

/** 4 or 5: for the few places where the editor's layout differs between versions. */
export const NODE_RED_MAJOR = Number(NODE_RED_VERSION.split('.')[0]);

/** The command-line entry (`node-red`). */
export const RED_JS = join(NODE_RED_DIR, 'red.js');

/** Resolve a module as the selected Node-RED would (its own dependencies, its core nodes). */
export function resolveFromNodeRed(id: string): string {
  return require.resolve(id, { paths: [NODE_RED_DIR] });
}

/** Require a module as the selected Node-RED would, e.g. "@node-red/nodes/core/common/25-catch.js". */
export function requireFromNodeRed<T = unknown>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolveFromNodeRed(id)) as T;
}

/** The selected Node-RED's `require('node-red')` module (its main file). */
export function requireNodeRed<T = unknown>(): T {
  return requireFromNodeRed<T>(NODE_RED_DIR);
}

/** One of the selected Node-RED's core nodes, e.g. coreNode('common/25-catch.js'). */
export function coreNode(file: string): unknown {
  return requireFromNodeRed(`@node-red/nodes/core/${file}`);
}
