import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { VaultRuntime, VaultSettings } from '../../../credentials';
import { createVault, nodeRead, putItem, useRuntimes } from '../../helpers/oauth-fixture';
import { dropSchema, PG_URL, randomSchema } from '../../helpers/postgres';
import { RotatingTokenServer } from '../../helpers/rotating-token-server';
import type { TestVault } from '../../helpers/vault-client';

describe('oauth: runtimes sharing one PostgreSQL store refresh once between them', () => {
  const runtimes = useRuntimes();
  let server: RotatingTokenServer;
  let schema: string;
  let settings: VaultSettings;
  let a: VaultRuntime;
  let b: VaultRuntime;
  let vault: TestVault;

  beforeEach(async () => {
    server = await RotatingTokenServer.start();
    schema = randomSchema();
    settings = { store: { type: 'postgres', connectionString: PG_URL, schema } };
    a = await runtimes.start(undefined, settings);
    b = await runtimes.start(undefined, settings);
    vault = await createVault(a);
    await a.keyring.unlock(vault.id, vault.vsk);
    await b.keyring.unlock(vault.id, vault.vsk);
  });

  afterEach(async () => {
    await runtimes.cleanup();
    await dropSchema(schema);
    await server.stop();
  });

  const refreshItem = () => putItem(a, vault, {
    type: 'oauth2-refresh',
    plain: { tokenUrl: server.url, clientId: server.clientId },
    secret: { clientSecret: server.clientSecret, refreshToken: server.issueRefreshToken() },
  });

  it('50 reads on each of two runtimes at once make one token request, and both use its token', async () => {
    const id = await refreshItem();
    server.delayMs = 100;
    const reads = [...Array.from({ length: 50 }, () => nodeRead(a, vault, id)), ...Array.from({ length: 50 }, () => nodeRead(b, vault, id))];
    const items = await Promise.all(reads);
    assert.equal(server.tokenRequests(), 1);
    assert.equal(new Set(items.map((i) => i.fields.accessToken)).size, 1);
    assert.equal(a.tokens.requests + b.tokens.requests, 1);
  });

  it('the rotated refresh token one runtime stored is the one the other uses next: reuse detection never fires', async () => {
    const id = await refreshItem();
    for (let round = 0; round < 4; round++) {
      const [rt, other] = round % 2 === 0 ? [a, b] : [b, a];
      // Expire the stored token, then let both runtimes want a new one at the same time.
      const current = await rt.keyring.getItem(vault.id, id, { fresh: true });
      await rt.keyring.writeFields(vault.id, id, { plain: { expiresAt: String(Date.now() - 1000) } }, current.version);
      const [x, y] = await Promise.all([nodeRead(rt, vault, id), nodeRead(other, vault, id)]);
      // `other` may still hold the previous token (its change notice is on its way): it is valid until it expires.
      assert.ok(server.isValidAccessToken(x.fields.accessToken) && server.isValidAccessToken(y.fields.accessToken));
      assert.equal(server.tokenRequests(), round + 1, 'one request per round');
    }
    assert.deepEqual(server.calls.map((c) => c.status), [200, 200, 200, 200]);
  });

  it('two Node.js processes on the store make one token request between them', async function () {
    this.timeout(60_000);
    const id = await refreshItem();
    await runtimes.cleanup(); // only the two child processes use the store now
    server.delayMs = 200;
    const child = join(__dirname, '../../helpers/oauth-child.js');
    const run = () => new Promise<{ token: string; requests: number }>((resolve, reject) => {
      const p = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NR_VAULT_CHILD: JSON.stringify({ settings, vault: vault.id, vsk: vault.vsk, item: id, reads: 20 }) } });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${err}`))));
    });
    const [x, y] = await Promise.all([run(), run()]);
    assert.equal(server.tokenRequests(), 1);
    assert.equal(x.requests + y.requests, 1);
    assert.equal(x.token, y.token, 'both processes use the one token');
  });
});
