import assert from 'node:assert/strict';
import { newId, sodiumReady } from '../../credentials';
import { MASKED_TEXT, maskedCopy } from '../../nodes/shared/debug-mask';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import { waitFor } from '../helpers/wait';
import { coreNode } from '../helpers/node-red/selected';

const debugNode = coreNode('common/21-debug.js');

/**
 * The test helper's RED API lacks `hooks` (its mock runtime has none), while real Node-RED gives
 * every node module the runtime's hooks. Hand Get Item the same hooks engine the flows use.
 */
function getItemWithHooks(red: Record<string, unknown>) {
  red.hooks ??= helper._RED.hooks;
  return getItemNode(red);
}

type Msg = Record<string, any>;
const CANARY = 'canary-debug-mask-5d1e';

describe('Get Item: masking vault values in the debug sidebar', () => {
  const ctx = useNodeRed();

  async function run(getItem: Record<string, unknown>) {
    await sodiumReady();
    const vaultId = newId();
    // The API comes up with the package's nodes: load them alone, make the vault, then the flow.
    await helper.load([vaultNode, getItemNode, debugNode], []);
    const vault = await ctx.client.createVault('V', vaultId);
    const { id } = await ctx.client.putItem(vault, { name: 'db', type: 'database', plain: { host: 'h', username: 'u' }, secret: { password: CANARY } });
    await helper.unload();
    const flow: Msg[] = [
      { id: 'vault1', type: 'vault', name: 'V', vaultId },
      { id: 'get1', type: 'vault-get-item', vault: 'vault1', item: id, mode: 'field', field: 'password', property: 'payload', waitSeconds: 5, ...getItem, wires: [['dbg', 'out']] },
      { id: 'dbg', type: 'debug', active: true, tosidebar: true, complete: 'true' },
      { id: 'out', type: 'helper' },
    ];
    await helper.load([vaultNode, getItemWithHooks, debugNode], flow);
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    const seen = { debug: [] as Msg[], out: [] as Msg[] };
    helper.getNode('dbg').on('input', (m: Msg) => seen.debug.push(m));
    helper.getNode('out').on('input', (m: Msg) => seen.out.push(m));
    helper.getNode('get1').receive({ payload: 'go', topic: 't' });
    await waitFor('both outputs', () => seen.debug.length === 1 && seen.out.length === 1);
    return seen;
  }

  it('by default: the debug node receives the value masked, the rest of the flow the value', async () => {
    const seen = await run({});
    assert.equal(seen.debug[0].payload, MASKED_TEXT);
    assert.equal(seen.debug[0].topic, 't');
    assert.ok(!JSON.stringify(seen.debug[0]).includes(CANARY));
    assert.equal(seen.out[0].payload, CANARY);
  });

  // Issue 13 item 6: the whole item became the one string "[masked by vault]", hiding its shape.
  it('the whole item: the debug node sees its shape and plain fields, each secret value masked', async () => {
    const seen = await run({ mode: 'all', field: '', property: 'item.conn' });
    assert.deepEqual(seen.debug[0].item, { conn: { host: 'h', username: 'u', password: MASKED_TEXT } });
    assert.ok(!JSON.stringify(seen.debug[0]).includes(CANARY));
    assert.deepEqual(seen.out[0].item.conn, { host: 'h', username: 'u', password: CANARY });
  });

  it('one plain field: shown as it is (it is no secret)', async () => {
    const seen = await run({ field: 'host' });
    assert.equal(seen.debug[0].payload, 'h');
  });

  it('a flow that replaces the marked item with a string still gets it masked (fails closed)', async () => {
    const seen = await run({ mode: 'all', field: '' });
    const copy = maskedCopy(helper._RED as never, { ...seen.out[0], payload: `x ${CANARY}` });
    assert.equal(copy.payload, MASKED_TEXT);
    const garbage = maskedCopy(helper._RED as never, { _msgid: 'm', payload: CANARY, _vaultMasked: [{ property: 'payload', fields: [1] }] });
    assert.deepEqual(garbage, { _msgid: 'm', payload: MASKED_TEXT });
  });

  it('switched off: the debug node receives the value', async () => {
    const seen = await run({ maskDebug: false });
    assert.equal(seen.debug[0].payload, CANARY);
  });
});

/** Issue 11, Low: an api-key `header` of `X\` built a property expression that Node-RED could not apply, so nothing was masked. */
describe('Get Item: debug masking of an API key header with any name', () => {
  const ctx = useNodeRed();

  for (const headerName of ['X\\', 'a"]', "X-'Key'", 'payload', '__proto__x', 'X-Api-Key']) {
    it(`masks the header ${JSON.stringify(headerName)} in the debug copy, not in the flow`, async () => {
      await sodiumReady();
      const vaultId = newId();
      await helper.load([vaultNode, getItemNode, debugNode], []);
      const vault = await ctx.client.createVault('V', vaultId);
      const { id } = await ctx.client.putItem(vault, { name: 'api', type: 'api-key', plain: { header: headerName, prefix: '' }, secret: { key: CANARY } });
      await helper.unload();
      await helper.load([vaultNode, getItemWithHooks, debugNode], [
        { id: 'vault1', type: 'vault', name: 'V', vaultId },
        { id: 'get1', type: 'vault-get-item', vault: 'vault1', item: id, mode: 'field', field: 'key', property: 'apiKey', authHeader: true, waitSeconds: 5, wires: [['dbg', 'out']] },
        { id: 'dbg', type: 'debug', active: true, tosidebar: true, complete: 'true' },
        { id: 'out', type: 'helper' },
      ]);
      assert.equal((await ctx.client.unlock(vault)).status, 200);
      const seen = { debug: [] as Msg[], out: [] as Msg[] };
      helper.getNode('dbg').on('input', (m: Msg) => seen.debug.push(m));
      helper.getNode('out').on('input', (m: Msg) => seen.out.push(m));
      helper.getNode('get1').receive({ payload: 'go' });
      await waitFor('both outputs', () => seen.debug.length === 1 && seen.out.length === 1);
      assert.ok(!JSON.stringify(seen.debug[0]).includes(CANARY), JSON.stringify(seen.debug[0]));
      assert.equal(seen.out[0].headers[headerName], CANARY);
      assert.equal(seen.out[0].apiKey, CANARY);
    });
  }
});
