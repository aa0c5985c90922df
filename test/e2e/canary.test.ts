import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, sodiumReady } from '../../credentials';
import type { CommsClient } from '../helpers/comms-client';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';

/** The forms a leaked value could take in a file, a log or an answer. */
function forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [value, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
}

/** Every regular file under `dir` (symlinks, such as node_modules/@nr-vault/node-red-vault, are not followed). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p);
    return e.isFile() ? [p] : [];
  });
}

/**
 * Issue 2's canary: a distinctive secret written through the API and read by a flow in a real
 * Node-RED appears only in the flow's output, never in the user directory, the log, node
 * statuses or any admin API answer; the VSK appears nowhere at all.
 */
describe('canary: a secret read by a flow leaks nowhere else (real Node-RED)', function () {
  this.timeout(180_000);
  const canary = `canary-${randomBytes(12).toString('hex')}-Zq9`;
  const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-canary-'));
  let nr: NodeRedProcess;
  let token: string;
  let comms: CommsClient;
  let vault: TestVault;
  let itemId = '';
  let flowOutput = '';
  let failureOutput = '';

  before(async () => {
    await sodiumReady();
    itemId = newId();
    nr = await startNodeRed({
      userDir,
      users: [{ username: 'admin', password: 'canary-admin-pass', permissions: '*' }],
      logLevel: 'trace',
      // Flow credentials in clear: if any reached flows_cred.json, the scan below would see them.
      settings: { credentialSecret: false, logging: { console: { level: 'trace', metrics: true, audit: true } } },
    });
    token = await nr.token('admin');
    comms = await nr.openComms(token, ['#', 'status/#', 'debug', 'notification/#', 'vault/#']);
    const client = nr.client(token);
    vault = await client.createVault('Canary vault');
    const put = await client.putItem(vault, { id: itemId, name: 'Canary login', type: 'login', plain: { username: 'canary-user' }, secret: { password: canary } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await client.unlock(vault)).status, 200);

    // Deployed through the admin API, as the editor does, so Node-RED writes flows.json itself.
    const flows = [
      { id: 'tab1', type: 'tab', label: 'Canary' },
      { id: 'vcfg', type: 'vault', name: 'Canary vault', vaultId: vault.id },
      { id: 'in1', type: 'http in', z: 'tab1', url: '/canary', method: 'get', wires: [['get1']] },
      { id: 'get1', type: 'vault-get-item', z: 'tab1', name: 'read password', vault: 'vcfg', item: itemId, mode: 'field', field: 'password', property: 'payload', onLocked: 'wait', waitSeconds: 30, wires: [['out1']] },
      { id: 'out1', type: 'http response', z: 'tab1', wires: [] },
      // A failing read (a field the item does not have): its error goes to the log, the debug sidebar and Catch.
      { id: 'in2', type: 'http in', z: 'tab1', url: '/canary-missing', method: 'get', wires: [['get2']] },
      { id: 'get2', type: 'vault-get-item', z: 'tab1', name: 'read missing field', vault: 'vcfg', item: itemId, mode: 'field', field: 'pin', property: 'payload', onLocked: 'fail', wires: [['out2']] },
      { id: 'catch2', type: 'catch', z: 'tab1', scope: ['get2'], uncaught: false, wires: [['err2']] },
      { id: 'err2', type: 'change', z: 'tab1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'error', tot: 'msg' }], wires: [['out2']] },
      { id: 'out2', type: 'http response', z: 'tab1', statusCode: '500', wires: [] },
      // Any node with credentials, so that Node-RED writes flows_cred.json (in clear: credentialSecret false).
      { id: 'req1', type: 'http request', z: 'tab1', method: 'GET', url: 'http://127.0.0.1:9/', authType: 'basic', wires: [[]], credentials: { user: 'cred-user', password: 'cred-password' } },
    ];
    await nr.deployFlows(flows, token);

    const ok = await fetch(`${nr.url}canary`);
    flowOutput = await ok.text();
    const bad = await fetch(`${nr.url}canary-missing`);
    failureOutput = await bad.text();
    assert.equal(bad.status, 500, failureOutput);
    await comms.waitFor((m) => m.topic === 'status/get1' && (m.data as { fill?: string }).fill === 'green', 15_000, 'a green status of the Get Item node');
    await comms.waitFor((m) => m.topic === 'status/get2' && (m.data as { text?: string }).text === 'not_found', 15_000, 'a red not_found status');
  });

  after(async () => {
    await nr?.stop();
    rmSync(userDir, { recursive: true, force: true });
  });

  /** Asserts that neither the canary nor the VSK (in any form) is in `text`. */
  const assertClean = (where: string, text: string, allowCanary = false) => {
    for (const f of [...(allowCanary ? [] : forms(canary)), ...forms(vault.vsk), vault.vsk.slice(5)]) {
      assert.ok(!text.includes(f), `${where} carries ${f === vault.vsk.slice(5) || forms(vault.vsk).includes(f) ? 'the VSK' : 'the canary'}`);
    }
  };

  it('the flow\'s output message carries the value (so the flow really read it)', () => {
    assert.equal(flowOutput, canary);
    assertClean('the flow output', flowOutput, true);
  });

  it('a failing read reports a code and a message without the value', () => {
    assert.match(failureOutput, /pin/);
    assertClean('the failure output', failureOutput);
  });

  it('no file in the user directory holds it: flows, flows_cred, the store, the runtime key, the rest', () => {
    const files = filesUnder(userDir).map((f) => f.slice(userDir.length + 1));
    for (const expected of ['flows.json', 'flows_cred.json', 'nr-vault.json', 'nr-vault-runtime-key.json']) {
      assert.ok(files.includes(expected), `${expected} not in ${files.join(', ')}`);
    }
    for (const f of files) assertClean(f, readFileSync(join(userDir, f), 'latin1'));
    // The scan can see: flow credentials are there, in clear.
    assert.match(readFileSync(join(userDir, 'flows_cred.json'), 'utf8'), /cred-password/);
    // The store does hold the item, sealed.
    assert.ok(readFileSync(join(userDir, 'nr-vault.json'), 'utf8').includes(itemId));
  });

  it('the Node-RED log (stdout and stderr, at trace level with audit) does not', () => {
    assert.match(nr.log, /Started flows/);
    assertClean('the Node-RED log', nr.log);
  });

  it('no message on /comms (node statuses, debug, notifications, vault events) does', () => {
    assert.ok(comms.frames.some((f) => f.includes('status/get1')));
    for (const f of comms.frames) assertClean(`the comms frame ${f.slice(0, 200)}`, f);
  });

  it('no admin API answer does', async () => {
    const get = (path: string) => fetch(`${nr.url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const paths = [
      'flows', 'settings', 'nodes', 'diagnostics', 'credentials/vault-get-item/get1', 'credentials/vault/vcfg',
      'context/global', 'context/flow/tab1', 'context/node/get1', 'context/node/get2',
      'vault/runtime', 'vault/types', 'vault/vaults', `vault/vaults/${vault.id}/items`,
    ];
    for (const p of paths) {
      const res = await get(p);
      const text = await res.text();
      assert.ok(res.status < 500, `${p}: ${res.status}`);
      assertClean(`GET ${p}`, text);
    }
    const items = (await (await get(`vault/vaults/${vault.id}/items`)).json()) as { id: string }[];
    assert.deepEqual(items.map((i) => i.id), [itemId]);
  });

  it('and after Node-RED stops (everything flushed), the user directory still does not', async () => {
    await nr.stop();
    for (const f of filesUnder(userDir)) assertClean(f, readFileSync(f, 'latin1'));
    assertClean('the Node-RED log', nr.log);
  });
});
