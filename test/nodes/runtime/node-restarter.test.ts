import assert from 'node:assert/strict';
import { NodeRestarter, restartUnit, type FlowLike } from '../../../nodes/runtime/node-restarter';
import { ReferenceIndex } from '../../../nodes/runtime/reference-index';
import { waitFor } from '../../helpers/wait';

/** A Flow as far as the restarter uses it, recording what it was asked to do. */
class RecordingFlow implements FlowLike {
  constructor(readonly id: string, readonly calls: string[], readonly isGlobalFlow = false, readonly parent?: FlowLike, readonly subflowInstance?: { id: string }) {}
  async stop(ids: string[] = []): Promise<void> {
    this.calls.push(`stop ${this.id} ${ids.join(',')}`);
  }
  async start(): Promise<void> {
    this.calls.push(`start ${this.id}`);
  }
}

describe('vault references: restarting single nodes as a deploy would', () => {
  it('stops the users of a config node before it, starts the config node first, and waits while Node-RED deploys', async () => {
    const calls: string[] = [];
    const global = new RecordingFlow('global', calls, true);
    const tab = new RecordingFlow('tab1', calls, false, global);
    const index = new ReferenceIndex([
      { id: 'broker', type: 'mqtt-broker' },
      { id: 'in', type: 'mqtt in', z: 'tab1', broker: 'broker' },
      { id: 'out', type: 'mqtt out', z: 'tab1', broker: 'broker' },
      { id: 'other', type: 'inject', z: 'tab1' },
    ], () => undefined);
    const flows: Record<string, FlowLike> = { broker: global, in: tab, out: tab, other: tab };
    const started: string[][] = [];
    const restarter = new NodeRestarter({
      flowOf: (id) => flows[id], usersOf: (id) => index.usersOf(id), beforeStart: (ids) => started.push(ids), warn: () => undefined,
    }, 5);
    restarter.deployStarted();
    restarter.request(['broker']);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(calls, [], 'nothing happens during a deploy');
    restarter.deployEnded();
    await waitFor('the restart', () => restarter.restarts === 1);
    assert.deepEqual(calls, ['stop tab1 in,out', 'stop global broker', 'start global', 'start tab1']);
    assert.deepEqual(started[0].sort(), ['broker', 'in', 'out']);
    restarter.close();
  });

  it('a node in a subflow instance restarts with its outermost instance, in the flow that holds it', () => {
    const calls: string[] = [];
    const tab = new RecordingFlow('tab1', calls);
    const outer = new RecordingFlow('sf-outer', calls, false, tab, { id: 'instance1' });
    const inner = new RecordingFlow('sf-inner', calls, false, outer, { id: 'instance2' });
    const unit = restartUnit('node-in-subflow', inner);
    assert.equal(unit.id, 'instance1');
    assert.equal(unit.flow, tab);
  });
});
