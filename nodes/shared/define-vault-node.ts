/**
 * The one skeleton of the package's nodes that use a vault connection. It gives a node its vault
 * binding (the `vault` config node, waiting for an unlock as configured), the "no vault" status and
 * error, reading its connection per message (at once when cached), `send`/`done(err)`, a status
 * that tells the state at a glance (green unlocked, yellow locked or waiting, red ring with the
 * last error's code) and `close`.
 *
 * A new node, e.g. `nodes/vault-webhook/vault-webhook.ts` (the rest is its .html and locales):
 *
 *     import { VaultError } from '../../credentials';
 *     import { defineVaultNode } from '../shared/define-vault-node';
 *     import { secondsProp, stringProp } from '../shared/node-props';
 *
 *     export = defineVaultNode({
 *       type: 'vault-webhook',
 *       connectionTypes: ['api-key'],             // refused as wrong_type otherwise; omit for any type
 *       setup: (def) => ({ url: stringProp(def.url), timeoutMs: secondsProp(def.timeout, 30) }),
 *       async onMessage(msg, item, { url, timeoutMs }) {
 *         const res = await fetch(url, {
 *           method: 'POST', body: JSON.stringify(msg.payload), signal: AbortSignal.timeout(timeoutMs),
 *           headers: { [item.fields.header ?? 'Authorization']: `${item.fields.prefix ?? 'Bearer'} ${item.fields.key}` },
 *         });
 *         if (!res.ok) throw new VaultError('rejected', `The webhook answered HTTP ${res.status}.`);
 *         msg.statusCode = res.status;              // msg is sent on, then done()
 *       },
 *     });
 *
 * then list it in package.json's "node-red".nodes. Its editor side uses the shared rows
 * (`<div data-nr-vault-rows="connection">`, `"when-locked"`) and `RED.nrVault.nodeDefinition`.
 * Never put a secret (a field of `item`) into a status, a log line, an error message or `msg`
 * other than where the node's purpose puts it.
 */
import { VaultError, type DecryptedItem } from '../../credentials';
import type { NodeRedWithAdmin } from '../runtime';
import type { DoneFn, NodeDef, NodeMessage, RuntimeNode, SendFn } from './node-red';
import { asError, stringProp } from './node-props';
import { VaultBinding } from './vault-binding';

export interface VaultNodeSpec<Setup> {
  /** The node's type, as in package.json and its .html. */
  type: string;
  /** The connection types the node works with; a connection of another type fails with `wrong_type`. */
  connectionTypes?: readonly string[];
  /** Reads the node's properties once, when it is created (deploy). Its result is passed to every call. */
  setup(def: NodeDef, node: RuntimeNode, RED: NodeRedWithAdmin): Setup;
  /**
   * The work for one message, with the node's connection ready to use (unlocked, complete, an OAuth2
   * token fresh). Change `msg`; it is sent when this returns (or its promise resolves). A throw or
   * rejection goes to `done(err)` (a Catch node sees it) and shows its code on the node.
   */
  onMessage(msg: NodeMessage, item: DecryptedItem, setup: Setup): void | Promise<void>;
  /** What the node holds beside the binding (e.g. a hook), released on close. */
  close?(setup: Setup): void;
}

/** Registers a vault node: `export = defineVaultNode({ ... })` as a node module's export. */
export function defineVaultNode<Setup>(spec: VaultNodeSpec<Setup>): (RED: NodeRedWithAdmin) => void {
  return function register(RED) {
    RED.nodes.registerType(spec.type, function VaultNode(this: RuntimeNode, def: NodeDef) {
      RED.nodes.createNode(this, def);
      const itemId = stringProp(def.item);
      const setup = spec.setup(def, this, RED);
      const binding = VaultBinding.create(RED, this, def);
      const types = spec.connectionTypes;

      const fail = (e: unknown, done: DoneFn): void => {
        binding?.failed(e);
        done(asError(e));
      };
      const succeed = (msg: NodeMessage, send: SendFn, done: DoneFn): void => {
        binding?.succeeded();
        send(msg);
        done();
      };
      const run = (item: DecryptedItem, msg: NodeMessage, send: SendFn, done: DoneFn): void => {
        let result: void | Promise<void>;
        try {
          result = spec.onMessage(msg, item, setup);
        } catch (e) {
          fail(e, done);
          return;
        }
        // A synchronous node (Get Item) sends at once: no promise per message.
        if (result instanceof Promise) result.then(() => succeed(msg, send, done), (e: unknown) => fail(e, done));
        else succeed(msg, send, done);
      };

      this.on('input', (msg, send, done) => {
        if (!binding) {
          done(new VaultError('not_found', 'This node has no vault: choose one in its properties.'));
          return;
        }
        let now: DecryptedItem | undefined;
        try {
          now = binding.readyItemNow(itemId, types);
        } catch (e) {
          fail(e, done);
          return;
        }
        if (now) run(now, msg, send, done);
        else binding.readyItem(itemId, types).then((item) => run(item, msg, send, done), (e: unknown) => fail(e, done));
      });

      this.on('close', (_removed, closed) => {
        binding?.close();
        spec.close?.(setup);
        closed();
      });
    });
  };
}
