import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId, sodiumReady } from '../../credentials';
import { MASKED_TEXT } from '../../nodes/shared/debug-mask';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import { RotatingTokenServer } from '../helpers/rotating-token-server';
import type { TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';
import { coreNode } from '../helpers/node-red/selected';

const catchNode = coreNode('common/25-catch.js');
const statusNode = coreNode('common/25-status.js');
const httpRequestNode = coreNode('network/21-httprequest.js');
const debugNode = coreNode('common/21-debug.js');

type Msg = Record<string, any>;

/** An API that answers 200 to a valid bearer token of the token server, and 401 otherwise. */
async function startApi(tokens: RotatingTokenServer): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const ok = token !== undefined && tokens.isValidAccessToken(token);
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { things: ['a', 'b'] } : { error: 'unauthorized' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/things`, server };
}

describe('Get Item node on OAuth2 connections', () => {
  const ctx = useNodeRed({ vault: { oauth: { retryDelaysMs: [20, 50], backoffMs: 50 } } });
  let tokens: RotatingTokenServer;
  let api: { url: string; server: Server };
  let vault: TestVault;
  let itemId: string;
  const seen = { out: [] as Msg[], caught: [] as Msg[], statuses: [] as string[] };

  beforeEach(async () => {
    await sodiumReady();
    tokens = await RotatingTokenServer.start();
    api = await startApi(tokens);
    seen.out = [];
    seen.caught = [];
    seen.statuses = [];
  });

  afterEach(async () => {
    await tokens.stop();
    api.server.closeAllConnections();
    await new Promise<void>((resolve) => api.server.close(() => resolve()));
  });

  /** vault → Get Item (Authorization header on) → http request → out; Catch and Status on Get Item. */
  async function startFlow(item: { type: string; plain: Record<string, string>; secret: Record<string, string> }) {
    const vaultId = newId();
    itemId = newId();
    const flow = [
      { id: 'vault1', type: 'vault', name: 'APIs', vaultId },
      { id: 'get1', type: 'vault-get-item', vault: 'vault1', item: itemId, mode: 'field', field: 'expiresAt', property: 'tokenExpiry', authHeader: true, onLocked: 'wait', waitSeconds: 5, wires: [['http1']] },
      { id: 'http1', type: 'http request', method: 'GET', ret: 'obj', url: api.url, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catch1', type: 'catch', scope: ['get1'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
      { id: 'status1', type: 'status', scope: ['get1'], wires: [['statuses']] },
      { id: 'statuses', type: 'helper' },
    ];
    await helper.load([vaultNode, getItemNode, httpRequestNode, catchNode, statusNode], flow);
    helper.getNode('out').on('input', (m: Msg) => seen.out.push(m));
    helper.getNode('caught').on('input', (m: Msg) => seen.caught.push(m));
    helper.getNode('statuses').on('input', (m: Msg) => seen.statuses.push(JSON.stringify({ fill: m.status.fill, shape: m.status.shape, text: m.status.text })));
    vault = await ctx.client.createVault('APIs', vaultId);
    const put = await ctx.client.putItem(vault, { id: itemId, name: 'Things API', ...item });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    return helper.getNode('get1');
  }

  const m2m = () => ({
    type: 'oauth2-client',
    plain: { tokenUrl: tokens.url, clientId: tokens.clientId, audience: 'https://things.example' },
    secret: { clientSecret: tokens.clientSecret },
  });

  it('sets msg.headers.Authorization = "Bearer …" so that an http request node calls the API', async () => {
    const get = await startFlow(m2m());
    get.receive({ payload: 'go', headers: { 'x-trace': '7' } });
    await waitFor('the API answer', () => seen.out.length === 1, 10_000);
    assert.equal(seen.out[0].statusCode, 200, JSON.stringify(seen.out[0].payload));
    assert.deepEqual(seen.out[0].payload, { things: ['a', 'b'] });
    assert.ok(Number(seen.out[0].tokenExpiry) > Date.now());
    assert.equal(tokens.tokenRequests(), 1);
    assert.equal(seen.caught.length, 0);
  });

  it('100 messages arriving together at expiry make exactly one token request', async () => {
    const get = await startFlow(m2m());
    get.receive({ payload: 'first' });
    await waitFor('the first answer', () => seen.out.length === 1, 10_000);
    // The stored token expires (as a client may write expiresAt): the next messages all need a new one.
    const put = await ctx.client.putItem(vault, { id: itemId, name: 'Things API', ...m2m(), plain: { ...m2m().plain, expiresAt: String(Date.now() - 1000) }, secret: {} });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    tokens.delayMs = 100;
    for (let i = 0; i < 100; i++) get.receive({ payload: i });
    await waitFor('101 answers', () => seen.out.length === 101, 15_000);
    assert.equal(tokens.tokenRequests(), 2);
    assert.ok(seen.out.every((m) => m.statusCode === 200));
    assert.equal(seen.caught.length, 0);
  });

  it('a refused refresh token (invalid_grant) fails with needs_reauth and a "reconnect" message; the Vault page shows it', async () => {
    const refreshToken = tokens.issueRefreshToken();
    const get = await startFlow({ type: 'oauth2-refresh', plain: { tokenUrl: tokens.url, clientId: tokens.clientId }, secret: { refreshToken } });
    get.receive({ payload: 1 });
    await waitFor('the first answer', () => seen.out.length === 1, 10_000);
    // The original refresh token is pasted again: the server detects its reuse and revokes the family.
    await ctx.client.putItem(vault, { id: itemId, name: 'Things API', type: 'oauth2-refresh', plain: { tokenUrl: tokens.url, clientId: tokens.clientId }, secret: { refreshToken } });
    get.receive({ payload: 2 });
    await waitFor('an error caught', () => seen.caught.length === 1, 10_000);
    assert.equal(seen.caught[0].error.code, 'needs_reauth');
    assert.match(seen.caught[0].error.message, /reconnect it on the Vault page/);
    await waitFor('a red needs_reauth status', () => seen.statuses.at(-1) === JSON.stringify({ fill: 'red', shape: 'ring', text: 'needs_reauth' }));
    const list = await ctx.client.call('GET', `vault/vaults/${vault.id}/items`);
    assert.equal(list.body.find((i: { id: string }) => i.id === itemId).status, 'needs_reauth');

    // Reconnecting (a new refresh token) clears it.
    await ctx.client.putItem(vault, { id: itemId, name: 'Things API', type: 'oauth2-refresh', plain: { tokenUrl: tokens.url, clientId: tokens.clientId }, secret: { refreshToken: tokens.issueRefreshToken() } });
    get.receive({ payload: 3 });
    await waitFor('an answer after reconnecting', () => seen.out.length === 2, 10_000);
    assert.equal(seen.out[1].statusCode, 200);
  });

  it('an API key connection gives its own header and prefix; a debug node sees the header masked', async () => {
    const key = `key-${newId()}`;
    const vaultId = newId();
    await helper.load([vaultNode, getItemNode, debugNode], []);
    vault = await ctx.client.createVault('APIs', vaultId);
    const { id } = await ctx.client.putItem(vault, { name: 'Key', type: 'api-key', plain: { header: 'X-Api-Key', prefix: '' }, secret: { key } });
    await helper.unload();
    // The test helper's RED has no hooks (real Node-RED has): give Get Item the flows' hooks engine, as debug-mask.test does.
    const getItemWithHooks = (red: Record<string, unknown>) => {
      red.hooks ??= helper._RED.hooks;
      return getItemNode(red);
    };
    await helper.load([vaultNode, getItemWithHooks, debugNode], [
      { id: 'vault1', type: 'vault', name: 'APIs', vaultId },
      { id: 'get1', type: 'vault-get-item', vault: 'vault1', item: id, mode: 'field', field: 'header', property: 'which', authHeader: true, waitSeconds: 5, wires: [['dbg', 'out']] },
      { id: 'dbg', type: 'debug', active: true, tosidebar: true, complete: 'true' },
      { id: 'out', type: 'helper' },
    ]);
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    const debug: Msg[] = [];
    helper.getNode('dbg').on('input', (m: Msg) => debug.push(m));
    helper.getNode('out').on('input', (m: Msg) => seen.out.push(m));
    helper.getNode('get1').receive({ payload: 1, headers: { 'x-api-key': 'old', accept: 'application/json' } });
    await waitFor('both outputs', () => debug.length === 1 && seen.out.length === 1);
    assert.deepEqual(seen.out[0].headers, { accept: 'application/json', 'X-Api-Key': key });
    assert.deepEqual(debug[0].headers, { accept: 'application/json', 'X-Api-Key': MASKED_TEXT });
  });

  it('canary: client secret, access and refresh tokens are nowhere in the store file, logs, statuses or errors', async () => {
    const get = await startFlow({ type: 'oauth2-refresh', plain: { tokenUrl: tokens.url, clientId: tokens.clientId }, secret: { clientSecret: tokens.clientSecret, refreshToken: tokens.issueRefreshToken() } });
    get.receive({ payload: 1 });
    await waitFor('the first answer', () => seen.out.length === 1, 10_000);
    tokens.failures = [500, 500, 500]; // a failing refresh: logged and caught
    await ctx.client.putItem(vault, { id: itemId, name: 'Things API', type: 'oauth2-refresh', plain: { tokenUrl: tokens.url, clientId: tokens.clientId, scope: 'x' }, secret: {} });
    get.receive({ payload: 2 });
    await waitFor('an error caught', () => seen.caught.length === 1, 10_000);
    const secrets = [tokens.clientSecret, ...tokens.allTokens()];
    assert.ok(secrets.length >= 3);
    const places: Record<string, string> = {
      store: readFileSync(join(ctx.userDir, 'nr-vault.json'), 'utf8'),
      logs: JSON.stringify(helper.log().args),
      statuses: seen.statuses.join('\n'),
      errors: JSON.stringify(seen.caught.map((m) => m.error)),
    };
    assert.match(places.logs, /token refresh of connection .* failed \(token_error\)/);
    for (const [where, text] of Object.entries(places)) {
      for (const s of secrets) assert.ok(!text.includes(s), `a secret is in the ${where} in clear`);
    }
  });
});
