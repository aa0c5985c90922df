import assert from 'node:assert/strict';
import { newId, sodiumReady } from '../../credentials';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import { sleep, waitFor } from '../helpers/wait';
import { coreNode } from '../helpers/node-red/selected';

const catchNode = coreNode('common/25-catch.js');

const FLOWS = 200;
const ITEMS = 20;
const ROUNDS = 40;

type Msg = Record<string, any>;

describe('evidence: load — 200 concurrent flows while connections change and the vault locks and unlocks', function () {
  this.timeout(300_000);
  const ctx = useNodeRed();

  it('no message ever sees fields of two versions; locked messages wait or fail as configured; none is lost', async () => {
    await sodiumReady();
    const vaultId = newId();
    await helper.load([vaultNode, getItemNode, catchNode], []);
    const vault = await ctx.client.createVault('Load', vaultId);
    const itemIds = Array.from({ length: ITEMS }, () => newId());
    const versions = new Map<string, number>();
    const write = async (id: string) => {
      const n = (versions.get(id) ?? 0) + 1;
      versions.set(id, n);
      const res = await ctx.client.putItem(vault, { id, name: `item ${id}`, type: 'custom', plain: { n: String(n) }, secret: { a: `v${n}-${id}`, b: `v${n}-${id}` } });
      assert.equal(res.status, 200, res.body && JSON.stringify(res.body));
    };
    for (const id of itemIds) await write(id);
    await helper.unload();

    // Half the flows wait for an unlock (longer than any lock lasts), half fail at once.
    const flow: Msg[] = [{ id: 'vault1', type: 'vault', name: 'Load', vaultId }];
    for (let i = 0; i < FLOWS; i++) {
      flow.push({
        id: `get${i}`, type: 'vault-get-item', vault: 'vault1', item: itemIds[i % ITEMS], mode: 'item', property: 'payload',
        onLocked: i % 2 === 0 ? 'wait' : 'fail', waitSeconds: 30, maxQueue: 10_000, maskDebug: false, wires: [['out']],
      });
    }
    flow.push({ id: 'out', type: 'helper' }, { id: 'catch1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' });
    await helper.load([vaultNode, getItemNode, catchNode], flow);

    const outs: Msg[] = [];
    const caught: Msg[] = [];
    helper.getNode('out').on('input', (m: Msg) => outs.push(m));
    helper.getNode('caught').on('input', (m: Msg) => caught.push(m));
    assert.equal((await ctx.client.unlock(vault)).status, 200);

    let sent = 0;
    let lockedRounds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const locking = round % 8 === 4;
      if (locking) {
        assert.equal((await ctx.client.lock(vault)).status, 200);
        lockedRounds++;
      }
      for (let i = 0; i < FLOWS; i++) {
        helper.getNode(`get${i}`).receive({ payload: null, round, flow: i });
        sent++;
      }
      // Edits race with the reads of this round.
      await Promise.all(itemIds.filter((_, k) => (k + round) % 4 === 0).map(write));
      if (locking) {
        await sleep(20);
        assert.equal((await ctx.client.unlock(vault)).status, 200);
      }
    }
    await waitFor(`all ${sent} messages out or caught (${outs.length} + ${caught.length})`, () => outs.length + caught.length === sent, 120_000, 50);

    for (const m of outs) {
      const { a, b, n } = m.payload as Record<string, string>;
      assert.equal(a, b, `round ${m.round} flow ${m.flow}: fields of two versions`);
      assert.ok(a.startsWith(`v${n}-`), `round ${m.round} flow ${m.flow}: plain n=${n} with secret ${a.slice(0, 4)}`);
    }
    for (const m of caught) {
      assert.equal(m.error.code, 'locked', JSON.stringify(m.error));
      assert.equal(m.flow % 2, 1, 'only fail-at-once flows fail');
    }
    assert.ok(caught.length > 0 && caught.length <= lockedRounds * FLOWS / 2, `${caught.length} failed while locked`);
    // Every waiting flow's message arrived, in spite of the locks.
    assert.equal(outs.filter((m) => m.flow % 2 === 0).length, ROUNDS * FLOWS / 2);
  });
});
