import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReference, newId, sealField, sodiumReady } from '../../credentials';
import type { PostgresStore } from '../../credentials/store/postgres-store';
import { AuthRecorder } from '../helpers/auth-recorder';
import { filesUnder } from '../helpers/canary';
import { PG_URL, sharedSchema } from '../helpers/postgres';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

async function trigger(nr: NodeRedProcess): Promise<boolean> {
  try {
    const res = await fetch(`${nr.url}trigger`, { signal: AbortSignal.timeout(1_000) });
    await res.text();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Issue 14, live through a shared store: Node-RED keeps its vault on PostgreSQL; another runtime
 * (here a store client of its own, writing as another runtime does) changes the referenced item;
 * the http request node uses the new password on a next message, without a deploy.
 */
describe('vault references: a write by another runtime on PostgreSQL reaches the node live (real Node-RED)', function () {
  this.timeout(180_000);
  const first = `pgref-first-${randomBytes(8).toString('hex')}`;
  const second = `pgref-second-${randomBytes(8).toString('hex')}`;
  const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-refs-pg-'));
  const shared = sharedSchema();
  let recorder: AuthRecorder;
  let other: PostgresStore;
  let nr: NodeRedProcess;
  let vault: TestVault;
  let itemId = '';

  before(async () => {
    await sodiumReady();
    recorder = await AuthRecorder.start();
    nr = await startNodeRed({
      userDir,
      settings: { credentialSecret: false },
      vault: { runtimeName: 'A', store: { type: 'postgres', connectionString: PG_URL, schema: shared.schema } },
    });
    other = await shared.open();
    const client = nr.client();
    vault = await client.createVault('Shared vault');
    itemId = newId();
    const put = await client.putItem(vault, { id: itemId, name: 'API login', type: 'login', plain: { username: 'bob' }, secret: { password: first } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await client.unlock(vault)).status, 200);
    const ref = (field: string) => formatReference({ vault: vault.id, item: itemId, field });
    await nr.deployFlows([
      { id: 'tab1', type: 'tab', label: 'references on PostgreSQL' },
      { id: 'in1', type: 'http in', z: 'tab1', url: '/trigger', method: 'get', wires: [['req1']] },
      {
        id: 'req1', type: 'http request', z: 'tab1', method: 'GET', ret: 'txt', paytoqs: 'ignore', url: recorder.url,
        authType: 'basic', persist: false, senderr: false, wires: [['res1']],
        // The user name (a plain field) and the password (a secret one), both from the vault.
        credentials: { user: ref('username'), password: ref('password') },
      },
      { id: 'res1', type: 'http response', z: 'tab1', statusCode: '', wires: [] },
    ]);
  });

  after(async () => {
    await nr?.stop();
    await shared.cleanup().catch(() => undefined);
    await recorder?.close();
    rmSync(userDir, { recursive: true, force: true });
  });

  it('sends the user name and password from the vault (store on PostgreSQL; the first start reads them)', async () => {
    await waitFor('a call through the flow', () => trigger(nr), 30_000, 100);
    assert.equal(recorder.basicPairs().at(-1), `bob:${first}`);
  });

  it('a change written by another runtime on the store is used on a next message, without a deploy', async () => {
    const current = await other.getItem(vault.id, itemId);
    assert.ok(current);
    await other.putItem(vault.id, itemId, {
      name: current.name, type: current.type, plain: current.plain,
      secret: { password: sealField(vault.publicKey, { vault: vault.id, item: itemId, field: 'password', type: current.type, plain: current.plain }, second) }, ifVersion: current.version,
    });
    await waitFor('the rotated password on the wire', async () => (await trigger(nr)) && recorder.basicPairs().at(-1) === `bob:${second}`, 30_000, 50);
    for (const pair of recorder.basicPairs()) assert.ok(pair === `bob:${first}` || pair === `bob:${second}`, `unexpected credentials: ${pair}`);
  });

  it('the passwords are in no file of the user directory, no log line and no admin answer', async () => {
    const answers: string[] = [];
    for (const path of ['flows', 'credentials/http%20request/req1']) answers.push(await (await fetch(`${nr.url}${path}`)).text());
    const places = [
      ...filesUnder(userDir).filter((f) => !f.path.includes('node_modules')).map((f) => ({ name: f.path, content: f.content })),
      { name: 'log', content: nr.log },
      ...answers.map((content, i) => ({ name: `answer #${i}`, content })),
    ];
    for (const secret of [first, second]) {
      for (const p of places) assert.ok(!p.content.includes(secret), `a password appears in ${p.name}`);
    }
  });
});
