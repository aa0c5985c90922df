import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sodiumReady } from '../../credentials';
import { filesUnder, secretForms } from '../helpers/canary';
import type { CommsClient } from '../helpers/comms-client';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { RotatingTokenServer } from '../helpers/rotating-token-server';
import { sleep } from '../helpers/wait';

const ADMIN = { username: 'admin', password: `admin-${randomBytes(6).toString('hex')}`, permissions: '*' };

/**
 * Issue 8: the canary scan after a whole session on a real Node-RED: create a vault, add a
 * connection filled at once and one left empty and filled later, use them in flows, refresh an
 * OAuth2 token twice (with rotation), lock, read while locked, export the flows, stop. Every
 * secret that existed in the session (passwords, keys, client secret, every access and refresh
 * token the server issued, the VSK) is then searched for everywhere it must not be.
 */
describe('evidence: the canary scan after a whole session (real Node-RED, OAuth2 refresh, lock, export)', function () {
  this.timeout(240_000);
  const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-session-'));
  const password = `canary-pw-${randomBytes(10).toString('hex')}`;
  const apiKey = `canary-key-${randomBytes(10).toString('hex')}`;
  let tokens: RotatingTokenServer;
  let nr: NodeRedProcess;
  let comms: CommsClient;
  let vsk = '';
  const outputs: string[] = [];
  const answers: string[] = [];

  before(async () => {
    await sodiumReady();
    tokens = await RotatingTokenServer.start('session-client');
    tokens.expiresIn = 2; // short-lived, so the session refreshes (and rotates) for real
    nr = await startNodeRed({ userDir, users: [ADMIN], logLevel: 'trace', settings: { logging: { console: { level: 'trace', metrics: true, audit: true } } } });
    const token = await nr.token(ADMIN);
    comms = await nr.openComms(token, ['#']);
    const client = nr.client(token);
    const record = <T extends { body?: unknown }>(r: T): T => { answers.push(JSON.stringify(r.body ?? null)); return r; };

    const vault = await client.createVault('Session');
    vsk = vault.vsk;
    const login = await client.putItem(vault, { name: 'Login', type: 'login', plain: { username: 'ada' }, secret: { password } });
    const key = await client.putItem(vault, { name: 'Partner API', type: 'api-key', plain: {} });
    assert.equal(record(key).body.status, 'empty');
    const oauth = await client.putItem(vault, {
      name: 'OAuth', type: 'oauth2-refresh', plain: { tokenUrl: tokens.url, clientId: 'session-client' },
      secret: { clientSecret: tokens.clientSecret, refreshToken: tokens.issueRefreshToken() },
    });
    for (const r of [login, oauth]) assert.equal(record(r).status, 200, JSON.stringify(r.body));
    // Filled later, as "create an empty connection" promises.
    assert.equal(record(await client.putItem(vault, { id: key.id, name: 'Partner API', type: 'api-key', plain: { header: 'X-Api-Key', prefix: '' }, secret: { key: apiKey } })).body.status, 'ready');

    const get = (id: string, url: string, extra: Record<string, unknown>) => [
      { id: `in-${id}`, type: 'http in', z: 'tab', url, method: 'get', wires: [[`get-${id}`]] },
      { id: `get-${id}`, type: 'vault-get-item', z: 'tab', vault: 'vcfg', onLocked: 'fail', property: 'payload', wires: [['res']], ...extra },
    ];
    await nr.deployFlows([
      { id: 'tab', type: 'tab', label: 'Session' },
      { id: 'vcfg', type: 'vault', name: 'Session', vaultId: vault.id },
      ...get('pw', '/pw', { item: login.id, mode: 'field', field: 'password' }),
      ...get('key', '/key', { item: key.id, mode: 'field', field: 'key' }),
      ...get('oauth', '/oauth', { item: oauth.id, mode: 'field', field: 'accessToken', authHeader: true }),
      { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['err']] },
      { id: 'err', type: 'change', z: 'tab', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'error.code', tot: 'msg' }], wires: [['res']] },
      { id: 'res', type: 'http response', z: 'tab', wires: [] },
    ], token);
    assert.equal(record(await client.unlock(vault)).status, 200);

    const call = async (path: string) => {
      const text = await (await fetch(`${nr.url}${path}`)).text();
      outputs.push(text);
      return text;
    };
    assert.equal(await call('pw'), password);
    assert.equal(await call('key'), apiKey);
    const first = await call('oauth');
    await sleep(1500); // past half the token's lifetime: the next read refreshes, rotating the refresh token
    const second = await call('oauth');
    assert.ok(tokens.isValidAccessToken(first) && tokens.isValidAccessToken(second) && first !== second);
    assert.ok(tokens.tokenRequests() >= 2);

    assert.equal(record(await client.lock(vault)).status, 200);
    assert.equal(await call('pw'), 'locked');
    for (const path of ['flows', 'vault/runtime', 'vault/vaults', `vault/vaults/${vault.id}/items`, 'settings', 'nodes']) {
      answers.push(await (await fetch(`${nr.url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } })).text());
    }
    await nr.stop();
  });

  after(async () => {
    await nr?.stop();
    await tokens?.stop();
    rmSync(userDir, { recursive: true, force: true });
  });

  /** Every secret of the session, in the forms a leak could take. */
  const secrets = () => [password, apiKey, tokens.clientSecret, ...tokens.allTokens(), vsk, vsk.slice(5)].flatMap((s) => secretForms(s, Buffer.from(s).toString('base64url')));

  const assertNone = (where: string, text: string) => {
    for (const s of secrets()) assert.ok(!text.includes(s), `${where} carries a secret of the session`);
  };

  it('the flows really used every secret (so the scan below can fail)', () => {
    assert.ok(outputs.includes(password) && outputs.includes(apiKey));
    assert.ok(tokens.allTokens().length >= 4, 'at least two access tokens and two refresh tokens were issued');
  });

  it('no file in the user directory holds a secret after the session: flows, flows_cred, store, keys', () => {
    const files = filesUnder(userDir);
    assert.ok(files.some((f) => f.path.endsWith('nr-vault.json')) && files.some((f) => f.path.endsWith('flows.json')));
    for (const f of files) assertNone(f.path.slice(userDir.length), f.content);
  });

  it('the Node-RED log (trace, audit) holds none', () => assertNone('the log', nr.log));

  it('no /comms frame (statuses, debug, vault events) holds one', () => {
    assert.ok(comms.frames.length > 0);
    for (const f of comms.frames) assertNone(`comms ${f.slice(0, 120)}`, f);
  });

  it('no admin API answer during the session, nor the exported flows, holds one', () => {
    assert.ok(answers.length > 10);
    for (const a of answers) assertNone(`answer ${a.slice(0, 120)}`, a);
  });
});
