import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenRefresher, VaultError, type VaultRuntime } from '../../../credentials';
import { closedPort } from '../../helpers/closed-port';
import { createVault, nodeRead, putItem, useRuntimes } from '../../helpers/oauth-fixture';
import { RotatingTokenServer } from '../../helpers/rotating-token-server';
import type { TestVault } from '../../helpers/vault-client';

const isCode = (code: string, message?: RegExp) => (e: unknown): boolean =>
  e instanceof VaultError && e.code === code && (message === undefined || message.test(e.message));

describe('oauth: token refresher against a rotating token endpoint', () => {
  const runtimes = useRuntimes();
  let server: RotatingTokenServer;
  let rt: VaultRuntime;
  let vault: TestVault;

  beforeEach(async () => {
    server = await RotatingTokenServer.start();
    rt = await runtimes.start();
    vault = await createVault(rt);
    await rt.keyring.unlock(vault.id, vault.vsk);
  });

  afterEach(async () => {
    await runtimes.cleanup();
    await server.stop();
  });

  const clientItem = (extra: Record<string, string> = {}) => putItem(rt, vault, {
    type: 'oauth2-client',
    plain: { tokenUrl: server.url, clientId: server.clientId, audience: 'https://api.example', scope: 'read:things', ...extra },
    secret: { clientSecret: server.clientSecret },
  });
  const refreshItem = (refreshToken = server.issueRefreshToken()) => putItem(rt, vault, {
    type: 'oauth2-refresh',
    plain: { tokenUrl: server.url, clientId: server.clientId },
    secret: { clientSecret: server.clientSecret, refreshToken },
  });

  it('client credentials: gets a token on first use, posts the form of RFC 6749, and reuses it', async () => {
    const id = await clientItem();
    const item = await nodeRead(rt, vault, id);
    assert.ok(server.isValidAccessToken(item.fields.accessToken));
    assert.equal(server.tokenRequests(), 1);
    const call = server.calls[0];
    assert.equal(call.auth, 'post');
    assert.deepEqual(
      { grant: call.params.grant_type, audience: call.params.audience, scope: call.params.scope, id: call.params.client_id },
      { grant: 'client_credentials', audience: 'https://api.example', scope: 'read:things', id: server.clientId },
    );
    const expiresAt = Number(item.fields.expiresAt);
    assert.ok(expiresAt > Date.now() + 3500_000 && expiresAt <= Date.now() + 3600_000);
    const again = await nodeRead(rt, vault, id);
    assert.equal(again.fields.accessToken, item.fields.accessToken);
    assert.equal(server.tokenRequests(), 1);
  });

  it('client_secret_basic sends the client in an Authorization header instead', async () => {
    const id = await clientItem({ authMethod: 'client_secret_basic' });
    const item = await nodeRead(rt, vault, id);
    assert.ok(server.isValidAccessToken(item.fields.accessToken));
    assert.equal(server.calls[0].auth, 'basic');
    assert.equal(server.calls[0].params.client_secret, undefined);
  });

  it('100 reads arriving together at expiry make exactly one token request, and all get its token', async () => {
    const id = await clientItem();
    const first = await nodeRead(rt, vault, id);
    await rt.keyring.writeFields(vault.id, id, { plain: { expiresAt: String(Date.now() - 1000) } }, first.version);
    server.delayMs = 50;
    const items = await Promise.all(Array.from({ length: 100 }, () => nodeRead(rt, vault, id)));
    assert.equal(server.tokenRequests(), 2);
    const tokens = new Set(items.map((i) => i.fields.accessToken));
    assert.equal(tokens.size, 1);
    assert.notEqual([...tokens][0], first.fields.accessToken);
  });

  it('refreshes ahead of expiry: inside max(60 s, 10% of the lifetime), not before', async () => {
    let now = Date.now();
    const tokens = new TokenRefresher(rt.keyring, rt.store, { now: () => now });
    const read = async () => tokens.withFreshToken(await rt.keyring.getItem(vault.id, id));
    const id = await clientItem();
    const first = await read(); // lifetime 3600 s: the margin is 360 s
    now += (3600 - 361) * 1000;
    assert.equal((await read()).fields.accessToken, first.fields.accessToken);
    assert.equal(tokens.requests, 1);
    now += 2000; // 359 s left: refresh, though the token is still valid
    const second = await read();
    assert.notEqual(second.fields.accessToken, first.fields.accessToken);
    assert.equal(tokens.requests, 2);

    server.expiresIn = 300; // lifetime 300 s: 10% is 30 s, so the 60 s floor applies
    now = Number(second.fields.expiresAt) - 1000;
    const third = await read();
    now += (300 - 61) * 1000;
    assert.equal((await read()).fields.accessToken, third.fields.accessToken);
    now += 2000;
    assert.notEqual((await read()).fields.accessToken, third.fields.accessToken);
    assert.equal(tokens.requests, 4);
    tokens.close();
  });

  it('refresh tokens rotate: each new one is stored and used once, so reuse detection never fires', async () => {
    let now = Date.now();
    const tokens = new TokenRefresher(rt.keyring, rt.store, { now: () => now });
    const id = await refreshItem();
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const item = await tokens.withFreshToken(await rt.keyring.getItem(vault.id, id));
      assert.ok(server.isValidAccessToken(item.fields.accessToken));
      assert.ok(!seen.has(item.fields.refreshToken), 'the stored refresh token is the rotated one');
      seen.add(item.fields.refreshToken);
      now = Number(item.fields.expiresAt);
    }
    assert.deepEqual(server.calls.map((c) => c.status), [200, 200, 200, 200, 200]);
    // What the store holds is the newest refresh token: a new runtime can go on with it.
    assert.equal(server.calls.at(-1)!.params.refresh_token !== undefined, true);
    tokens.close();
  });

  it('invalid_grant (a reused refresh token) makes the connection needs_reauth; re-saving the refresh token clears it', async () => {
    const stale = server.issueRefreshToken();
    const id = await refreshItem(stale);
    await nodeRead(rt, vault, id); // rotates: `stale` is now used
    // Someone puts the old token back (a restored backup): the server sees reuse and revokes the family.
    await putItem(rt, vault, { id, type: 'oauth2-refresh', plain: { tokenUrl: server.url, clientId: server.clientId }, secret: { refreshToken: stale } });
    await assert.rejects(nodeRead(rt, vault, id), isCode('needs_reauth', /reconnect it on the Vault page/));
    const record = (await rt.store.getItem(vault.id, id))!;
    assert.equal(record.state, 'needs_reauth');
    assert.equal(record.secret.accessToken, undefined);
    assert.equal((await rt.keyring.getItem(vault.id, id)).status, 'needs_reauth');
    const requests = server.tokenRequests();
    assert.equal((await nodeRead(rt, vault, id)).status, 'needs_reauth', 'not asked again: the binding refuses it');
    assert.equal(server.tokenRequests(), requests);

    await putItem(rt, vault, { id, type: 'oauth2-refresh', plain: { tokenUrl: server.url, clientId: server.clientId }, secret: { refreshToken: server.issueRefreshToken() } });
    assert.equal((await rt.store.getItem(vault.id, id))!.state, undefined);
    const item = await nodeRead(rt, vault, id);
    assert.equal(item.status, 'ready');
    assert.ok(server.isValidAccessToken(item.fields.accessToken));
  });

  it('a wrong client secret (invalid_client) is needs_reauth too', async () => {
    const id = await putItem(rt, vault, {
      type: 'oauth2-client', plain: { tokenUrl: server.url, clientId: server.clientId }, secret: { clientSecret: 'wrong' },
    });
    await assert.rejects(nodeRead(rt, vault, id), isCode('needs_reauth'));
    assert.equal((await rt.store.getItem(vault.id, id))!.state, 'needs_reauth');
  });

  it('a 500 with no token to fall back on is retried at once, and the read gets the token', async () => {
    const id = await clientItem();
    server.failures = [500, 503];
    const item = await nodeRead(rt, vault, id);
    assert.ok(server.isValidAccessToken(item.fields.accessToken));
    assert.deepEqual(server.calls.map((c) => c.status), [500, 503, 200]);
  });

  it('a 500 while the token is still valid: the current token is used, and asked again after a back-off', async () => {
    let now = Date.now();
    const tokens = new TokenRefresher(rt.keyring, rt.store, { now: () => now, backoffMs: 10_000 });
    const read = async () => tokens.withFreshToken(await rt.keyring.getItem(vault.id, id));
    const id = await clientItem();
    const first = await read();
    now = Number(first.fields.expiresAt) - 30_000; // inside the margin, still valid
    server.failures = [500];
    assert.equal((await read()).fields.accessToken, first.fields.accessToken);
    assert.equal((await read()).fields.accessToken, first.fields.accessToken);
    assert.equal(server.tokenRequests(), 2, 'no request during the back-off');
    now += 10_001;
    const next = await read();
    assert.notEqual(next.fields.accessToken, first.fields.accessToken);
    assert.deepEqual(server.calls.map((c) => c.status), [200, 500, 200]);
    tokens.close();
  });

  it('short-lived tokens (30 s) are not asked for again on every read: the margin is at most half the lifetime', async () => {
    server.expiresIn = 30;
    const id = await clientItem();
    const first = await nodeRead(rt, vault, id);
    assert.equal((await nodeRead(rt, vault, id)).fields.accessToken, first.fields.accessToken);
    assert.equal(server.tokenRequests(), 1);
  });

  it('a refused request (invalid_scope) is token_error, not retried during the back-off, and tried at once after an edit', async () => {
    const now = Date.now();
    const tokens = new TokenRefresher(rt.keyring, rt.store, { now: () => now, backoffMs: 10_000 });
    const read = async () => tokens.withFreshToken(await rt.keyring.getItem(vault.id, id));
    const id = await clientItem({ scope: 'no:such:scope' });
    server.failures = [{ status: 400, error: 'invalid_scope' }];
    await assert.rejects(read(), isCode('token_error', /answered 400 invalid_scope/));
    await assert.rejects(read(), isCode('token_error', /answered 400 invalid_scope/));
    assert.equal(server.tokenRequests(), 1, 'the second read did not ask during the back-off');
    assert.equal((await rt.store.getItem(vault.id, id))!.state, undefined, 'not needs_reauth: the credentials are fine');
    await putItem(rt, vault, { id, type: 'oauth2-client', plain: { tokenUrl: server.url, clientId: server.clientId, scope: 'read:things' } });
    assert.ok(server.isValidAccessToken((await read()).fields.accessToken));
    assert.equal(server.tokenRequests(), 2);
    tokens.close();
  });

  it('network errors with no token fail with connection_failed after the retries', async () => {
    const port = await closedPort();
    const id = await putItem(rt, vault, {
      type: 'oauth2-client', plain: { tokenUrl: `http://127.0.0.1:${port}/oauth/token`, clientId: 'c' }, secret: { clientSecret: 's' },
    });
    await assert.rejects(nodeRead(rt, vault, id), isCode('connection_failed', new RegExp(`127\\.0\\.0\\.1:${port} could not be reached: ECONNREFUSED`)));
    assert.equal(rt.tokens.requests, 3);
  });

  it('a restart keeps the tokens: a new runtime on the same user dir uses the stored token without a request', async () => {
    const id = await refreshItem();
    const first = await nodeRead(rt, vault, id);
    await runtimes.stop(rt);
    const again = await runtimes.start(rt.userDir);
    await again.keyring.unlock(vault.id, vault.vsk);
    const item = await nodeRead(again, vault, id);
    assert.equal(item.fields.accessToken, first.fields.accessToken);
    assert.equal(item.fields.refreshToken, first.fields.refreshToken);
    assert.equal(server.tokenRequests(), 1);
    assert.equal(again.tokens.requests, 0);
  });

  it('changing token URL, client id, scope or audience drops the stored token; a rename keeps it', async () => {
    const id = await clientItem();
    const plain = { tokenUrl: server.url, clientId: server.clientId, audience: 'https://api.example', scope: 'read:things' };
    const first = await nodeRead(rt, vault, id);
    await putItem(rt, vault, { id, name: 'Renamed', type: 'oauth2-client', plain });
    const renamed = await nodeRead(rt, vault, id);
    assert.equal(renamed.fields.accessToken, first.fields.accessToken);
    assert.equal(renamed.fields.expiresAt, first.fields.expiresAt);
    let requests = 1;
    for (const change of [{ scope: 'read:other' }, { audience: 'https://other.example' }, { tokenUrl: `${server.url}?x=1` }]) {
      // A new token URL is a new destination: the client secret must be entered again (format 2).
      const secret = 'tokenUrl' in change ? { clientSecret: server.clientSecret } : undefined;
      await putItem(rt, vault, { id, type: 'oauth2-client', plain: { ...plain, ...change }, secret });
      const stored = (await rt.store.getItem(vault.id, id))!;
      assert.equal(stored.secret.accessToken, undefined, JSON.stringify(change));
      assert.equal(stored.plain.expiresAt, undefined);
      await nodeRead(rt, vault, id);
      assert.equal(server.tokenRequests(), ++requests);
    }
  });

  it('canary: the client secret and every token appear nowhere in clear in the store file', async () => {
    const a = await clientItem();
    const b = await refreshItem();
    await nodeRead(rt, vault, a);
    await nodeRead(rt, vault, b);
    const file = readFileSync(join(rt.userDir, 'nr-vault.json'), 'utf8');
    const secrets = [server.clientSecret, ...server.allTokens()];
    assert.ok(secrets.length >= 4);
    for (const s of secrets) assert.ok(!file.includes(s), 'a secret is in the store file in clear');
  });
});
