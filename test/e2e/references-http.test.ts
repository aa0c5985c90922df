import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReference, newId, sodiumReady } from '../../credentials';
import { AuthRecorder } from '../helpers/auth-recorder';
import { filesUnder } from '../helpers/canary';
import type { CommsClient } from '../helpers/comms-client';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

/** GET /trigger on Node-RED: an http in → http request (basic auth) → http response flow. */
async function trigger(nr: NodeRedProcess, ms = 1_000): Promise<boolean> {
  try {
    const res = await fetch(`${nr.url}trigger`, { signal: AbortSignal.timeout(ms) });
    await res.text();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Issue 14: Node-RED's own `http request` node with basic auth, its password a vault reference in
 * its credentials, against a local server that records every Authorization header.
 */
describe('vault references: core http request with basic auth (real Node-RED)', function () {
  this.timeout(240_000);
  const first = `first-${randomBytes(8).toString('hex')}-Kp`;
  const second = `second-${randomBytes(8).toString('hex')}-Kq`;
  const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-refs-http-'));
  let recorder: AuthRecorder;
  let nr: NodeRedProcess;
  let comms: CommsClient;
  let vault: TestVault;
  let itemId = '';
  let reference = '';
  const logs: string[] = [];
  const answers: string[] = [];

  const start = async (): Promise<NodeRedProcess> => {
    const started = await startNodeRed({ userDir, settings: { credentialSecret: false } });
    comms = await started.openComms(undefined, ['status/#', 'vault/#', 'notification/#']);
    return started;
  };

  before(async () => {
    await sodiumReady();
    recorder = await AuthRecorder.start();
    nr = await start();
    const client = nr.client();
    vault = await client.createVault('References vault');
    itemId = newId();
    const put = await client.putItem(vault, { id: itemId, name: 'Basic login', type: 'login', plain: { username: 'alice' }, secret: { password: first } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await client.unlock(vault)).status, 200);
    reference = formatReference({ vault: vault.id, item: itemId, field: 'password' });
    await nr.deployFlows([
      { id: 'tab1', type: 'tab', label: 'references' },
      { id: 'in1', type: 'http in', z: 'tab1', url: '/trigger', method: 'get', wires: [['req1']] },
      {
        id: 'req1', type: 'http request', z: 'tab1', name: 'basic auth call', method: 'GET', ret: 'txt', paytoqs: 'ignore',
        url: recorder.url, authType: 'basic', persist: false, senderr: false, wires: [['res1']],
        credentials: { user: 'alice', password: reference },
      },
      { id: 'res1', type: 'http response', z: 'tab1', statusCode: '', wires: [] },
      // A bystander counts its own starts (its On Start code): an item edit must not restart it.
      { id: 'in3', type: 'http in', z: 'tab1', url: '/starts', method: 'get', wires: [['bystander']] },
      { id: 'bystander', type: 'function', z: 'tab1', initialize: 'global.set("starts", (global.get("starts") || 0) + 1);', func: 'msg.payload = String(global.get("starts")); return msg;', outputs: 1, wires: [['res1']] },
      // Another node asking for the same name through Node-RED's env API gets nothing.
      { id: 'in2', type: 'http in', z: 'tab1', url: '/peek', method: 'get', wires: [['peek']] },
      { id: 'peek', type: 'function', z: 'tab1', func: `msg.payload = JSON.stringify([env.get(${JSON.stringify(reference.slice(2, -1))}) ?? null]); return msg;`, outputs: 1, wires: [['res1']] },
    ]);
  });

  after(async () => {
    if (nr) {
      logs.push(nr.log);
      await nr.stop();
    }
    await recorder?.close();
    if (process.env.NR_VAULT_TEST_LOG) console.log(logs.join('\n----\n'));
    rmSync(userDir, { recursive: true, force: true });
  });

  it('sends the password from the vault', async () => {
    await waitFor('a call through the flow', () => trigger(nr), 20_000, 100);
    assert.equal(recorder.basicPairs().at(-1), `alice:${first}`);
  });

  it("another node cannot read the value: env.get('vault:…') in a function node gets nothing", async () => {
    const res = await fetch(`${nr.url}peek`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(await res.text(), '[null]');
  });

  it('sends an edited password on a next message, without a deploy', async () => {
    const put = await nr.client().putItem(vault, { id: itemId, name: 'Basic login', type: 'login', plain: { username: 'alice' }, secret: { password: second } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitFor('the edited password on the wire', async () => (await trigger(nr)) && recorder.basicPairs().at(-1) === `alice:${second}`, 20_000, 50);
    // Only the node that uses the item was restarted.
    assert.equal(await (await fetch(`${nr.url}starts`)).text(), '1');
  });

  it('after a restart with the vault locked: sends nothing until the unlock, then the right password by itself', async () => {
    logs.push(nr.log);
    await nr.stop();
    const before = recorder.headers.length;
    nr = await start();
    await nr.waitForLog(/\[http request:req1\].*nr-vault: not started yet: it waits for the vault/, 30_000);
    await comms.waitFor((m) => m.topic === 'status/req1' && JSON.stringify(m.data).includes('waiting for vault: locked'), 20_000, 'the waiting status');
    await comms.waitFor((m) => m.topic === 'vault/unlock-needed' && (m.data as { node?: string }).node === 'req1', 20_000, 'the unlock request naming the node');
    assert.equal(await trigger(nr, 1_500), false, 'the flow must not call out while the vault is locked');
    assert.equal((await nr.client().unlock(vault)).status, 200);
    await waitFor('a call after the unlock', () => trigger(nr, 1_000), 20_000, 50);
    // A request made while locked could not carry the password and would have reached the server
    // before this one: so every request since the restart carries the right password.
    const since = recorder.basicPairs().slice(before);
    assert.ok(since.length > 0 && since.every((pair) => pair === `alice:${second}`), `requests since the restart: ${JSON.stringify(since)}`);
  });

  it('never sent anything but the vault passwords, and the secrets are in no file, log or admin answer', async () => {
    for (const pair of recorder.basicPairs()) assert.ok(pair === `alice:${first}` || pair === `alice:${second}`, `unexpected credentials on the wire: ${pair}`);
    assert.ok(!recorder.headers.some((h) => Buffer.from(h.replace(/^Basic /, ''), 'base64').toString().includes('${vault')));
    for (const path of ['flows', 'credentials/http%20request/req1', `vault/vaults/${vault.id}/items`, 'settings', 'vault/references']) {
      const res = await fetch(`${nr.url}${path}`);
      answers.push(await res.text());
    }
    const flows = JSON.parse(answers[0]) as { id: string; credentials?: unknown }[];
    assert.ok(flows.some((n) => n.id === 'req1'));
    // The editor learns where references stand (it cannot read a password field back): ids only.
    assert.deepEqual(JSON.parse(answers[4]), [{ node: 'req1', type: 'http request', z: 'tab1', path: 'credentials.password', vault: vault.id, item: itemId, field: 'password' }]);
    const places = [
      ...filesUnder(userDir).filter((f) => !f.path.includes('node_modules')).map((f) => ({ name: f.path, content: f.content })),
      ...[...logs, nr.log].map((content, i) => ({ name: `log #${i}`, content })),
      ...answers.map((content, i) => ({ name: `answer #${i}`, content })),
      ...comms.frames.map((content, i) => ({ name: `comms frame #${i}`, content })),
    ];
    const credFile = places.find((p) => p.name.endsWith('flows_cred.json'));
    assert.ok(credFile?.content.includes(reference), 'flows_cred.json (in clear) holds the reference');
    for (const secret of [first, second]) {
      for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(`alice:${secret}`).toString('base64')]) {
        for (const p of places) assert.ok(!p.content.includes(form), `a secret appears in ${p.name}`);
      }
    }
  });
});
