import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { VaultError, type VaultRuntime } from '../../../credentials';
import { MAX_EXPIRES_IN, MAX_TOKEN_ANSWER_BYTES } from '../../../credentials/oauth/token-request';
import { createVault, nodeRead, putItem, useRuntimes } from '../../helpers/oauth-fixture';
import { startHostileServer } from '../../helpers/hostile-http';
import type { TestVault } from '../../helpers/vault-client';

/**
 * Issue 11, Low: `expires_in` of 1e308 or 1e13 gave `RangeError: Invalid time value` on every message,
 * a token request and a store write per message and `expiresAt: "Infinity"` in the store; a 300 MB
 * access_token was read whole. Lifetimes are validated and clamped; answers are capped while read.
 */
describe('oauth: hostile token answers (huge lifetimes, huge bodies)', function () {
  this.timeout(60_000);
  const runtimes = useRuntimes();
  let rt: VaultRuntime;
  let vault: TestVault;
  let server: Awaited<ReturnType<typeof startHostileServer>>;
  let answer: (res: ServerResponse) => void;

  beforeEach(async () => {
    server = await startHostileServer((_req, res) => answer(res));
    rt = await runtimes.start();
    vault = await createVault(rt);
    await rt.keyring.unlock(vault.id, vault.vsk);
  });
  afterEach(async () => {
    await runtimes.cleanup();
    await server.close();
  });

  const clientItem = () => putItem(rt, vault, {
    type: 'oauth2-client', plain: { tokenUrl: `${server.url}/token`, clientId: 'c1' }, secret: { clientSecret: 'hostile-answers-secret' },
  });
  const json = (body: unknown) => (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  for (const expiresIn of [1e308, 1e13, '1e308', 'Infinity', -5, 0, 'soon']) {
    it(`expires_in ${JSON.stringify(expiresIn)}: a valid expiry is stored and the token is reused, not asked for per message`, async () => {
      answer = json({ access_token: 'tok-1', token_type: 'Bearer', expires_in: expiresIn });
      const refreshed: number[] = [];
      rt.tokens.on('refreshed', (r) => refreshed.push(r.expiresAt));
      const id = await clientItem();
      const first = await nodeRead(rt, vault, id);
      assert.equal(first.fields.accessToken, 'tok-1');
      const expiresAt = Number(first.fields.expiresAt);
      assert.ok(Number.isFinite(expiresAt), first.fields.expiresAt);
      assert.ok(expiresAt <= Date.now() + MAX_EXPIRES_IN * 1000 && expiresAt > Date.now(), first.fields.expiresAt);
      assert.doesNotThrow(() => new Date(refreshed[0]).toISOString());
      for (let i = 0; i < 20; i++) await nodeRead(rt, vault, id);
      assert.equal(server.requests.length, 1, 'one token request for 21 messages');
      const stored = await rt.store.getItem(vault.id, id);
      assert.equal(stored?.plain.expiresAt, first.fields.expiresAt);
    });
  }

  it('an answer larger than the cap is refused while it is read (token_error), without reading it all', async () => {
    let written = 0;
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"token_type":"Bearer","access_token":"');
      const chunk = 'A'.repeat(64 * 1024);
      const pump = (): void => {
        // 300 MB unless the client stops reading first.
        while (written < 300 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end('"}');
      };
      pump();
    };
    const id = await clientItem();
    await assert.rejects(nodeRead(rt, vault, id), (e: unknown) => e instanceof VaultError && e.code === 'token_error' && /larger than/.test(e.message));
    assert.ok(written < 50 * 1024 * 1024, `the server could write only ${written} bytes before the runtime hung up`);
    assert.ok(MAX_TOKEN_ANSWER_BYTES < 1024 * 1024);
  });

  it('a Content-Length over the cap is refused before the body is read', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) });
      res.write('{"access_token":"');
    };
    const id = await clientItem();
    await assert.rejects(nodeRead(rt, vault, id), (e: unknown) => e instanceof VaultError && e.code === 'token_error');
  });
});
