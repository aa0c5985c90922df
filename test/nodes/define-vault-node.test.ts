import assert from 'node:assert/strict';
import { VaultError, newId, sodiumReady } from '../../credentials';
import { defineVaultNode } from '../../nodes/shared/define-vault-node';
import { stringProp } from '../../nodes/shared/node-props';
import { catchNode, helper, Inbox, lastStatus, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';

/**
 * The node skeleton with a node written on it as its header comment says a new node is: a few
 * lines of setup and per-message work. Whatever the skeleton gives (binding, "no vault", status,
 * send/done, wrong_type, close) is checked here once, for every node built on it.
 */
const closed: string[] = [];
const greeterNode = defineVaultNode({
  type: 'test-greeter',
  connectionTypes: ['api-key'],
  setup: (def) => ({ greeting: stringProp(def.greeting, 'Hello'), id: String(def.id) }),
  async onMessage(msg, item, { greeting }) {
    if (msg.payload === 'fail') throw new VaultError('rejected', 'Refused, as asked.');
    await new Promise((r) => setImmediate(r));
    msg.payload = `${greeting}, key of ${item.fields.key?.length ?? 0} characters`;
  },
  close: ({ id }) => closed.push(id),
});

describe('nodes: the node skeleton (defineVaultNode)', () => {
  const ctx = useNodeRed();
  before(() => sodiumReady());

  async function deploy(item: { type: string; secret: Record<string, string> }, props: Record<string, unknown> = { vault: 'v' }) {
    const vaultId = newId();
    const itemId = newId();
    await helper.load([vaultNode, greeterNode, catchNode], [
      { id: 'tab', type: 'tab', label: 't' },
      { id: 'v', type: 'vault', name: 'V', vaultId },
      { id: 'g', type: 'test-greeter', z: 'tab', item: itemId, onLocked: 'fail', greeting: 'Hi', wires: [['out']], ...props },
      { id: 'out', type: 'helper', z: 'tab' },
      { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'tab' },
    ]);
    const vault = await ctx.client.createVault('V', vaultId);
    assert.equal((await ctx.client.putItem(vault, { id: itemId, name: 'Key', ...item })).status, 200);
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    const node = helper.getNode('g');
    return { node, inbox: new Inbox({ out: helper.getNode('out'), caught: helper.getNode('caught') }) };
  }

  it('sends the message onMessage changed, and shows the vault unlocked', async () => {
    const { node, inbox } = await deploy({ type: 'api-key', secret: { key: 'canary-skeleton-77' } });
    node.receive({ payload: 'x' });
    const got = await inbox.next();
    assert.equal(got.from, 'out');
    assert.equal(got.msg.payload, 'Hi, key of 18 characters');
    assert.deepEqual(lastStatus(node), { fill: 'green', shape: 'dot', text: 'unlocked' });
  });

  it('a throw goes to done(err) (the Catch node) with the code on the status; the next success clears it', async () => {
    const { node, inbox } = await deploy({ type: 'api-key', secret: { key: 'k' } });
    node.receive({ payload: 'fail' });
    const caught = await inbox.next();
    assert.equal(caught.from, 'caught');
    assert.match(caught.msg.error.message, /Refused, as asked\./);
    assert.deepEqual(lastStatus(node), { fill: 'red', shape: 'ring', text: 'rejected' });
    node.receive({ payload: 'ok' });
    assert.equal((await inbox.next()).from, 'out');
    assert.deepEqual(lastStatus(node), { fill: 'green', shape: 'dot', text: 'unlocked' });
  });

  it('a connection of another type is wrong_type; nothing is sent', async () => {
    const { node, inbox } = await deploy({ type: 'login', secret: { password: 'p' } });
    node.receive({ payload: 'x' });
    const caught = await inbox.next();
    assert.equal(caught.from, 'caught');
    assert.match(caught.msg.error.message, /is of type login; this node needs api-key/);
    assert.deepEqual(lastStatus(node), { fill: 'red', shape: 'ring', text: 'wrong_type' });
  });

  it('without a vault: a red "no vault" status, and every message fails with not_found', async () => {
    const { node, inbox } = await deploy({ type: 'api-key', secret: { key: 'k' } }, { vault: '' });
    assert.deepEqual(lastStatus(node), { fill: 'red', shape: 'ring', text: 'no vault' });
    node.receive({ payload: 'x' });
    const caught = await inbox.next();
    assert.equal(caught.from, 'caught');
    assert.match(caught.msg.error.message, /has no vault/);
  });

  it('close releases what setup took', async () => {
    closed.length = 0;
    await deploy({ type: 'api-key', secret: { key: 'k' } });
    await helper.unload();
    assert.deepEqual(closed, ['g']);
  });
});
