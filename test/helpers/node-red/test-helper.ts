import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAllVaultRuntimes } from '../../../nodes/runtime';
import { coreNode, NODE_RED_DIR, resolveFromNodeRed } from './selected';
import { helperCall, VaultTestClient } from '../vault-client';

// node-red-node-test-helper has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper: any = require('node-red-node-test-helper');
helper.init(resolveFromNodeRed(NODE_RED_DIR));

export const vaultNode = require('../../../nodes/vault/vault');
export const getItemNode = require('../../../nodes/vault-get-item/vault-get-item');
export const sendMailNode = require('../../../nodes/vault-send-mail/vault-send-mail');
export const twilioNode = require('../../../nodes/vault-twilio/vault-twilio');
/** Node-RED's own Catch node, to see errors as a flow sees them. */
export const catchNode = coreNode('common/25-catch.js');

/**
 * Collects, in order, the messages that reach some helper nodes, named. (Node-RED's `once('input')`
 * breaks a node that has several input listeners, so there is one listener per node, kept.)
 */
export class Inbox {
  readonly items: { from: string; msg: any }[] = [];
  private readonly waiters = new Map<number, (item: { from: string; msg: any }) => void>();

  constructor(nodes: Record<string, { on(event: 'input', fn: (msg: any) => void): void }>) {
    for (const [from, node] of Object.entries(nodes)) {
      node.on('input', (msg: any) => {
        const item = { from, msg };
        this.items.push(item);
        this.waiters.get(this.items.length - 1)?.(item);
        this.waiters.delete(this.items.length - 1);
      });
    }
  }

  /** The item at an index, when it has arrived. */
  at(index: number): Promise<{ from: string; msg: any }> {
    const have = this.items[index];
    return have ? Promise.resolve(have) : new Promise((resolve) => this.waiters.set(index, resolve));
  }

  /** The next item after those seen so far. */
  next(): Promise<{ from: string; msg: any }> {
    return this.at(this.items.length);
  }
}

/** The last status a node showed (from the helper's spy on Node.prototype.status). */
export function lastStatus(node: unknown): unknown {
  const spy = helper._NodePrototype.status;
  const calls = spy.args.filter((_: unknown, i: number) => spy.thisValues[i] === node);
  return calls.at(-1)?.[0];
}

/**
 * Start node-red-node-test-helper with a fresh user directory (so a fresh store and runtime key)
 * before each test, and stop it after. Returns accessors valid inside the tests.
 */
export function useNodeRed(settings: Record<string, unknown> = {}) {
  const ctx: { userDir: string; client: VaultTestClient } = { userDir: '', client: new VaultTestClient(helperCall(() => helper.request())) };
  beforeEach(async () => {
    ctx.userDir = mkdtempSync(join(tmpdir(), 'nr-vault-user-'));
    helper.settings({ userDir: ctx.userDir, ...settings });
    await helper.startServer();
  });
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await stopAllVaultRuntimes();
    rmSync(ctx.userDir, { recursive: true, force: true });
  });
  return ctx;
}
