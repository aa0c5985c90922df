import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultRuntime, type VaultSettings } from '../../credentials';
import { createVault, nodeRead, putItem } from '../helpers/oauth-fixture';
import { dropSchema, PG_URL, randomSchema } from '../helpers/postgres';
import { RotatingTokenServer } from '../helpers/rotating-token-server';
import type { TestVault } from '../helpers/vault-client';

/**
 * What an OAuth2 connection costs a flow: a read while the token is fresh (no request), and the
 * wait of 100 messages arriving together at expiry (one token request for all), on the file store
 * and on two runtimes sharing PostgreSQL. Never asserted:
 * `npm run build && node -e "require('./dist/test/bench/oauth-refresh.bench.js').run().then(r => console.table(r))"`
 */
export async function run(): Promise<{ name: string; value: string; unit: string; note?: string }[]> {
  const rows: { name: string; value: string; unit: string; note?: string }[] = [];
  const server = await RotatingTokenServer.start();
  const dirs: string[] = [];
  const runtimes: VaultRuntime[] = [];
  const start = async (settings: VaultSettings = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'nr-vault-bench-'));
    dirs.push(dir);
    const rt = await VaultRuntime.start(dir, settings);
    runtimes.push(rt);
    return rt;
  };
  const schema = randomSchema();
  try {
    const rt = await start();
    const vault = await createVault(rt);
    await rt.keyring.unlock(vault.id, vault.vsk);
    const id = await putItem(rt, vault, {
      type: 'oauth2-refresh', plain: { tokenUrl: server.url, clientId: server.clientId },
      secret: { clientSecret: server.clientSecret, refreshToken: server.issueRefreshToken() },
    });
    await nodeRead(rt, vault, id);

    const reads = 20_000;
    let t = performance.now();
    for (let i = 0; i < reads; i++) await nodeRead(rt, vault, id);
    const perSecond = reads / ((performance.now() - t) / 1000);
    rows.push({ name: 'oauth: read with a fresh token (file store)', value: perSecond.toFixed(0), unit: 'reads/s', note: 'no token request' });

    const expiry = async (readers: [VaultRuntime, number][], v: TestVault, item: string) => {
      const current = await readers[0][0].keyring.getItem(v.id, item, { fresh: true });
      await readers[0][0].keyring.writeFields(v.id, item, { plain: { expiresAt: String(Date.now() - 1000) } }, current.version);
      const before = server.tokenRequests();
      t = performance.now();
      await Promise.all(readers.flatMap(([r, n]) => Array.from({ length: n }, () => nodeRead(r, v, item))));
      return { ms: performance.now() - t, requests: server.tokenRequests() - before };
    };
    await expiry([[rt, 100]], vault, id); // warm-up: the first request also starts fetch's HTTP client
    const file = await expiry([[rt, 100]], vault, id);
    rows.push({ name: 'oauth: 100 messages at expiry, all served (file store)', value: file.ms.toFixed(1), unit: 'ms', note: `${file.requests} token request(s), local token endpoint` });

    const shared: VaultSettings = { store: { type: 'postgres', connectionString: PG_URL, schema } };
    const a = await start(shared);
    const b = await start(shared);
    const pgVault = await createVault(a);
    await a.keyring.unlock(pgVault.id, pgVault.vsk);
    await b.keyring.unlock(pgVault.id, pgVault.vsk);
    const pgItem = await putItem(a, pgVault, {
      type: 'oauth2-refresh', plain: { tokenUrl: server.url, clientId: server.clientId },
      secret: { clientSecret: server.clientSecret, refreshToken: server.issueRefreshToken() },
    });
    await nodeRead(a, pgVault, pgItem);
    await expiry([[a, 50], [b, 50]], pgVault, pgItem);
    const pg = await expiry([[a, 50], [b, 50]], pgVault, pgItem);
    rows.push({ name: 'oauth: 100 messages at expiry on two runtimes, all served (PostgreSQL)', value: pg.ms.toFixed(1), unit: 'ms', note: `${pg.requests} token request(s) between them` });
  } finally {
    for (const rt of runtimes) await rt.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await dropSchema(schema).catch(() => undefined);
    await server.stop();
  }
  return rows;
}

if (require.main === module) {
  void run().then((rows) => console.table(rows));
}
