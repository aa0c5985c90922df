import assert from 'node:assert/strict';
import { newId, sodiumReady } from '../../credentials';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import type { TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';
import { coreNode } from '../helpers/node-red/selected';

const catchNode = coreNode('common/25-catch.js');
const statusNode = coreNode('common/25-status.js');

type Msg = Record<string, any>;
interface Status { fill?: string; shape?: string; text?: string }

const CANARY = 'canary-3f9c1b7e-get-item-secret';

/**
 * A flow of vault config node → Get Item → helper, with a Catch and a Status node on Get Item,
 * recording what reaches each, as a flow author would see it.
 */
async function startFlow(vaultId: string, getItem: Record<string, unknown>) {
  const flow = [
    { id: 'vault1', type: 'vault', name: 'Test vault', vaultId },
    { id: 'get1', type: 'vault-get-item', name: 'get', vault: 'vault1', mode: 'item', property: 'payload', onLocked: 'wait', waitSeconds: 5, ...getItem, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catch1', type: 'catch', scope: ['get1'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
    { id: 'status1', type: 'status', scope: ['get1'], wires: [['statuses']] },
    { id: 'statuses', type: 'helper' },
  ];
  await helper.load([vaultNode, getItemNode, catchNode, statusNode], flow);
  const seen = { out: [] as Msg[], caught: [] as Msg[], statuses: [] as Status[] };
  helper.getNode('out').on('input', (m: Msg) => seen.out.push(m));
  helper.getNode('caught').on('input', (m: Msg) => seen.caught.push(m));
  helper.getNode('statuses').on('input', (m: Msg) => seen.statuses.push({ fill: m.status.fill, shape: m.status.shape, text: m.status.text }));
  const get = helper.getNode('get1');
  const lastStatus = (): Status | undefined => seen.statuses[seen.statuses.length - 1];
  return {
    seen,
    send: (msg: Msg) => get.receive(msg),
    lastStatus,
    // Statuses reach the Status node asynchronously; the machine is shared, so wait generously
    // (a status that never comes still fails well inside mocha's time-out, naming the last one).
    statusIs: (what: string, s: Status) =>
      waitFor(`status ${what}`, () => {
        const l = lastStatus();
        return l?.fill === s.fill && l?.shape === s.shape && l?.text === s.text;
      }, 12_000).catch((e: Error) => {
        throw new Error(`${e.message} (last: ${JSON.stringify(lastStatus())}; all: ${JSON.stringify(seen.statuses)})`);
      }),
  };
}

describe('Get Item node', () => {
  const ctx = useNodeRed();
  let vaultId: string;
  let vault: TestVault;
  let itemId: string;

  beforeEach(async () => {
    await sodiumReady();
    vaultId = newId();
  });

  // The runtime (and its API) starts with the nodes, so a flow is loaded before the vault exists.
  async function unlockedFlow(getItem: Record<string, unknown> = {}) {
    itemId = newId();
    const f = await startFlow(vaultId, { item: itemId, ...getItem });
    await createVaultWithItemKeepingId();
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    await f.statusIs('green dot unlocked', { fill: 'green', shape: 'dot', text: 'unlocked' });
    return f;
  }

  async function lockedFlow(getItem: Record<string, unknown> = {}) {
    itemId = newId();
    const f = await startFlow(vaultId, { item: itemId, ...getItem });
    await createVaultWithItemKeepingId();
    await f.statusIs('yellow ring locked', { fill: 'yellow', shape: 'ring', text: 'locked' });
    return f;
  }

  async function createVaultWithItemKeepingId() {
    vault = await ctx.client.createVault('Test vault', vaultId);
    const put = await ctx.client.putItem(vault, { id: itemId, name: 'Web login', type: 'login', plain: { url: 'https://example.test', username: 'ada' }, secret: { password: CANARY } });
    assert.equal(put.status, 200, put.body && JSON.stringify(put.body));
  }

  it('puts the whole item (plain and secret fields) into msg.payload when the vault is unlocked', async () => {
    const f = await unlockedFlow();
    f.send({ payload: 'go', topic: 't' });
    await waitFor('a message out', () => f.seen.out.length === 1);
    assert.deepEqual(f.seen.out[0].payload, { url: 'https://example.test', username: 'ada', password: CANARY });
    assert.equal(f.seen.out[0].topic, 't');
    assert.equal(f.seen.caught.length, 0);
    assert.deepEqual(f.lastStatus(), { fill: 'green', shape: 'dot', text: 'unlocked' });
  });

  it('puts one field into the configured property, creating the path', async () => {
    const f = await unlockedFlow({ mode: 'field', field: 'password', property: 'auth.secret' });
    f.send({ payload: 'keep me' });
    await waitFor('a message out', () => f.seen.out.length === 1);
    assert.equal(f.seen.out[0].auth.secret, CANARY);
    assert.equal(f.seen.out[0].payload, 'keep me');
  });

  it('a field the item does not have is not_found, at the Catch node', async () => {
    const f = await unlockedFlow({ mode: 'field', field: 'nope' });
    f.send({ payload: 1 });
    await waitFor('an error caught', () => f.seen.caught.length === 1);
    assert.equal(f.seen.caught[0].error.code, 'not_found');
    assert.match(f.seen.caught[0].error.message, /no field "nope"/);
    assert.equal(f.seen.out.length, 0);
  });

  it('a message that arrives while the vault is locked waits, and goes on when it is unlocked', async () => {
    const f = await lockedFlow();
    f.send({ payload: 'waiting' });
    await f.statusIs('yellow ring with 1 waiting', { fill: 'yellow', shape: 'ring', text: 'locked: 1 waiting' });
    assert.equal(f.seen.out.length, 0);
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    await waitFor('the waiting message out', () => f.seen.out.length === 1);
    assert.equal(f.seen.out[0].payload.password, CANARY);
    await f.statusIs('green dot unlocked', { fill: 'green', shape: 'dot', text: 'unlocked' });
    assert.equal(f.seen.caught.length, 0);
  });

  it('a message that waits longer than waitSeconds fails with locked, at the Catch node, and the status is red', async () => {
    const f = await lockedFlow({ waitSeconds: 0.3 });
    f.send({ payload: 'too late' });
    await waitFor('an error caught', () => f.seen.caught.length === 1, 12_000);
    assert.equal(f.seen.caught[0].error.code, 'locked');
    assert.equal(f.seen.caught[0].payload, 'too late');
    assert.equal(f.seen.out.length, 0);
    await f.statusIs('red ring locked', { fill: 'red', shape: 'ring', text: 'locked' });
  });

  it('"fail at once" fails a message on a locked vault without queueing it', async () => {
    const f = await lockedFlow({ onLocked: 'fail' });
    f.send({ payload: 'now' });
    await waitFor('an error caught', () => f.seen.caught.length === 1);
    assert.equal(f.seen.caught[0].error.code, 'locked');
    assert.ok(!f.seen.statuses.some((s) => /waiting/.test(s.text ?? '')), JSON.stringify(f.seen.statuses));
    await f.statusIs('red ring locked', { fill: 'red', shape: 'ring', text: 'locked' });
  });

  it('a message over the bounded queue is queue_full; the queued ones go on at unlock', async () => {
    const f = await lockedFlow({ maxQueue: 2 });
    for (const n of [1, 2, 3]) f.send({ n });
    await waitFor('an error caught', () => f.seen.caught.length === 1);
    assert.equal(f.seen.caught[0].error.code, 'queue_full');
    assert.equal(f.seen.caught[0].n, 3);
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    await waitFor('two messages out', () => f.seen.out.length === 2);
    assert.deepEqual(f.seen.out.map((m) => m.payload.password), [CANARY, CANARY]);
    assert.deepEqual(f.seen.out.map((m) => m.n), [1, 2]);
  });

  it('releases waiting messages in their order of arrival', async () => {
    const f = await lockedFlow();
    const order = [...Array(20).keys()].map((i) => `m${i}`);
    for (const tag of order) f.send({ tag });
    await f.statusIs('20 waiting', { fill: 'yellow', shape: 'ring', text: 'locked: 20 waiting' });
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    await waitFor('all messages out', () => f.seen.out.length === order.length);
    assert.deepEqual(f.seen.out.map((m) => m.tag), order);
  });

  it('uses an edited item on the very next message, without a redeploy', async () => {
    const f = await unlockedFlow({ mode: 'field', field: 'password' });
    f.send({});
    await waitFor('first message', () => f.seen.out.length === 1);
    assert.equal(f.seen.out[0].payload, CANARY);
    const put = await ctx.client.putItem(vault, { id: itemId, name: 'Web login', type: 'login', plain: { url: 'https://example.test', username: 'ada' }, secret: { password: 'second-password' } });
    assert.equal(put.status, 200);
    f.send({});
    await waitFor('second message', () => f.seen.out.length === 2);
    assert.equal(f.seen.out[1].payload, 'second-password');
  });

  it('a deleted item is not_found, at the Catch node, with a red status', async () => {
    const f = await unlockedFlow();
    assert.equal((await ctx.client.call('DELETE', `vault/vaults/${vaultId}/items/${itemId}`)).status, 204);
    f.send({ payload: 1 });
    await waitFor('an error caught', () => f.seen.caught.length === 1);
    assert.equal(f.seen.caught[0].error.code, 'not_found');
    await f.statusIs('red ring not_found', { fill: 'red', shape: 'ring', text: 'not_found' });
    assert.equal(f.seen.out.length, 0);
  });

  it('an empty item is empty_connection; after it is filled the next message goes on and the status is green again', async () => {
    const f = await unlockedFlow();
    await ctx.client.putItem(vault, { id: itemId, name: 'Web login', type: 'login', plain: {}, secret: { password: null } });
    f.send({ payload: 1 });
    await waitFor('an error caught', () => f.seen.caught.length === 1);
    assert.equal(f.seen.caught[0].error.code, 'empty_connection');
    await f.statusIs('red ring empty_connection', { fill: 'red', shape: 'ring', text: 'empty_connection' });
    await ctx.client.putItem(vault, { id: itemId, name: 'Web login', type: 'login', plain: { username: 'bob' }, secret: { password: 'pw' } });
    f.send({ payload: 2 });
    await waitFor('a message out', () => f.seen.out.length === 1);
    await f.statusIs('green dot unlocked', { fill: 'green', shape: 'dot', text: 'unlocked' });
  });

  it('follows lock and unlock in its status: green dot, yellow ring', async () => {
    const f = await unlockedFlow();
    assert.equal((await ctx.client.lock(vault)).status, 200);
    await f.statusIs('yellow ring locked', { fill: 'yellow', shape: 'ring', text: 'locked' });
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    await f.statusIs('green dot unlocked', { fill: 'green', shape: 'dot', text: 'unlocked' });
  });

  it('never shows a secret in a status or an error', async () => {
    const f = await unlockedFlow({ mode: 'field', field: 'missing' });
    f.send({});
    await waitFor('an error caught', () => f.seen.caught.length === 1);
    const visible = JSON.stringify({ statuses: f.seen.statuses, errors: f.seen.caught.map((m) => m.error) });
    assert.ok(!visible.includes(CANARY), visible);
  });

  it('without a vault config node, a message is a not_found error', async () => {
    const flow = [
      { id: 'get1', type: 'vault-get-item', vault: '', item: 'x', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catch1', type: 'catch', scope: ['get1'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load([vaultNode, getItemNode, catchNode], flow);
    const caught: Msg[] = [];
    helper.getNode('caught').on('input', (m: Msg) => caught.push(m));
    helper.getNode('get1').receive({ payload: 1 });
    await waitFor('an error caught', () => caught.length === 1);
    assert.equal(caught[0].error.code, 'not_found');
  });
});

describe('Vault config node', () => {
  useNodeRed();

  it('carries its name and vault id for the nodes that use it', async () => {
    await helper.load([vaultNode], [{ id: 'v1', type: 'vault', name: 'Production', vaultId: 'prod_1' }]);
    const n = helper.getNode('v1');
    assert.equal(n.vaultId, 'prod_1');
    assert.equal(n.name, 'Production');
  });

  it('starts the vault admin API with the package, before any flow uses a vault', async () => {
    await helper.load([vaultNode], []);
    const res = await helper.request().get('/vault/vaults');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
  });
});
