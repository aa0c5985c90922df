import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId, sodiumReady } from '../../credentials';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { PG_URL, dropSchema, randomSchema } from '../helpers/postgres';
import { RotatingTokenServer } from '../helpers/rotating-token-server';
import { VaultTestClient, fetchCall, type TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

/** GET /call: Get Item sets the Authorization header, an http request node calls the API; errors answer 503 with their code. */
function callFlow(vaultId: string, itemId: string, apiUrl: string): unknown[] {
  const z = 'tab1';
  return [
    { id: z, type: 'tab', label: 'call' },
    { id: 'cfg', type: 'vault', name: 'Shared', vaultId },
    { id: 'in', type: 'http in', z, x: 100, y: 100, url: '/call', method: 'get', wires: [['get']] },
    { id: 'get', type: 'vault-get-item', z, x: 200, y: 100, vault: 'cfg', item: itemId, mode: 'field', field: 'expiresAt', property: 'tokenExpiresAt', authHeader: true, onLocked: 'fail', wires: [['api']] },
    { id: 'api', type: 'http request', z, x: 300, y: 100, method: 'GET', ret: 'txt', url: apiUrl, wires: [['clean']] },
    // The API's answer headers must not go back as ours; the status code does.
    { id: 'clean', type: 'function', z, x: 400, y: 100, func: 'msg.headers = {}; return msg;', outputs: 1, wires: [['out']] },
    { id: 'out', type: 'http response', z, x: 500, y: 100, statusCode: '', wires: [] },
    { id: 'catch', type: 'catch', z, x: 200, y: 200, scope: ['get'], uncaught: false, wires: [['fail']] },
    { id: 'fail', type: 'function', z, x: 300, y: 200, func: 'msg.statusCode = 503; msg.headers = {}; msg.payload = msg.error.code || "error"; return msg;', outputs: 1, wires: [['out']] },
  ];
}

/** An API that answers 200 to a bearer token the token server issued, 401 otherwise. */
async function startApi(tokens: RotatingTokenServer): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    res.writeHead(token !== undefined && tokens.isValidAccessToken(token) ? 200 : 401).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/things`, server };
}

describe('OAuth2 on two Node-RED processes sharing one PostgreSQL store', function () {
  this.timeout(120_000);
  const schema = randomSchema();
  let tokens: RotatingTokenServer;
  let api: { url: string; server: Server };
  let a: NodeRedProcess;
  let b: NodeRedProcess;
  let vault: TestVault;
  let itemId: string;

  before(async () => {
    await sodiumReady();
    tokens = await RotatingTokenServer.start();
    api = await startApi(tokens);
    tokens.delayMs = 200; // the answer takes a while, so both processes really want a token at once
    const vaultId = newId();
    itemId = newId();
    const store = { type: 'postgres', connectionString: PG_URL, schema };
    const flows = callFlow(vaultId, itemId, api.url);
    [a, b] = await Promise.all(['A', 'B'].map((runtimeName) => startNodeRed({ vault: { runtimeName, store }, flows, logLevel: 'warn' })));
    const apiA = new VaultTestClient(fetchCall(a.url));
    const apiB = new VaultTestClient(fetchCall(b.url));
    vault = await apiA.createVault('Shared', vaultId);
    const put = await apiA.putItem(vault, {
      id: itemId, name: 'Things API', type: 'oauth2-refresh',
      plain: { tokenUrl: tokens.url, clientId: tokens.clientId },
      secret: { clientSecret: tokens.clientSecret, refreshToken: tokens.issueRefreshToken() },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitFor('B to see the vault', async () => (await apiB.call('GET', 'vault/vaults')).body?.length === 1, 5_000);
    for (const client of [apiA, apiB]) assert.equal((await client.unlock(vault)).status, 200);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    api?.server.closeAllConnections();
    api?.server.close();
    await tokens?.stop();
    await dropSchema(schema);
  });

  const callAll = (n: number) => Promise.all([a, b].flatMap((rt) => Array.from({ length: n }, async () => {
    const res = await fetch(`${rt.url}call`, { signal: AbortSignal.timeout(20_000) });
    return `${res.status} ${await res.text()}`;
  })));

  it('20 calls on each process with no token yet make one token request between them', async () => {
    const answers = await callAll(20);
    assert.deepEqual([...new Set(answers)], ['200 '], answers.join(', '));
    assert.equal(tokens.tokenRequests(), 1);
  });

  it('at expiry they refresh once more with the rotated refresh token; reuse detection never fires', async () => {
    const client = new VaultTestClient(fetchCall(a.url));
    const put = await client.putItem(vault, {
      id: itemId, name: 'Things API', type: 'oauth2-refresh',
      plain: { tokenUrl: tokens.url, clientId: tokens.clientId, expiresAt: String(Date.now() - 1000) },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const answers = await callAll(20);
    assert.deepEqual([...new Set(answers)], ['200 '], answers.join(', '));
    assert.deepEqual(tokens.calls.map((c) => c.status), [200, 200]);
  });

  it('canary: neither process logged the client secret or a token', () => {
    for (const rt of [a, b]) {
      for (const s of [tokens.clientSecret, ...tokens.allTokens()]) assert.ok(!rt.log.includes(s), 'a secret is in a Node-RED log');
    }
  });
});
