import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { newRuntimeKeys, runtimeFingerprint, sodiumReady, toB64 } from '../../../credentials';
import { freePort } from '../../helpers/closed-port';
import { runCliProcess } from '../../helpers/cli-process';
import { ADMIN, startNodeRed, type NodeRedProcess } from '../../helpers/node-red';
import { PG_URL, dropSchema, randomSchema } from '../../helpers/postgres';
import { fetchCall, VaultTestClient } from '../../helpers/vault-client';

describe('nr-vault fleet --from-store: the runtimes registered in a PostgreSQL store', function () {
  this.timeout(120_000);
  const schema = randomSchema();
  const reds: NodeRedProcess[] = [];
  let home: string;

  before(async () => {
    await sodiumReady();
    home = mkdtempSync(join(tmpdir(), 'nr-vault-from-store-'));
    const ports = await Promise.all([1, 2, 3].map(() => freePort()));
    reds.push(...(await Promise.all(ports.map((port, i) => startNodeRed({
      users: [ADMIN],
      port,
      vault: {
        runtimeName: `pg-line-${i + 1}`, adminUrl: `http://127.0.0.1:${port}/`,
        store: { type: 'postgres', connectionString: PG_URL, schema, heartbeatMs: 3_600_000 },
      },
    })))));
  });

  after(async () => {
    await Promise.all(reds.map((r) => r.stop()));
    rmSync(home, { recursive: true, force: true });
    await dropSchema(schema).catch(() => undefined);
  });

  it('unlocks every registered runtime, pinned to the registry; a runtime showing another key than registered is refused', async () => {
    const red1 = reds[0];
    assert.ok(red1);
    const vault = await new VaultTestClient(fetchCall(red1.url, await red1.token())).createVault('Production', 'pgvault');
    const env = { NR_VAULT_PG: PG_URL, NR_VAULT_PASSWORD: ADMIN.password, NR_VAULT_SECRET: vault.vsk, NR_VAULT_KNOWN_RUNTIMES: join(home, 'known') };
    const args = ['fleet', '--from-store', 'env', '--schema', schema, '--vault', 'Production', '--user', ADMIN.username];
    const run = await runCliProcess(args, env, home);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (let i = 1; i <= 3; i++) assert.match(run.stdout, new RegExp(`^ok +pg-line-${i} .* vault "Production" \\(pgvault\\) unlocked`, 'm'));
    assert.match(run.stdout, /^fleet: 3 runtimes, 3 unlocked, 0 failed/m);

    // The registry now holds another key for line 2 than the one that runtime shows.
    const other = newRuntimeKeys();
    const db = new Client({ connectionString: PG_URL });
    await db.connect();
    try {
      await db.query(`UPDATE "${schema}".runtimes SET public_key = $1, fingerprint = $2 WHERE name = 'pg-line-2'`, [toB64(other.publicKey), runtimeFingerprint(other.publicKey)]);
    } finally {
      await db.end();
    }
    const again = await runCliProcess(args, env, home);
    assert.equal(again.code, 1, again.stdout + again.stderr);
    assert.match(again.stdout, /^FAILED +pg-line-2 +\S+ +fingerprint_changed: .* but the store's registry pins /m);
    assert.match(again.stdout, /^fleet: 3 runtimes, 2 unlocked, 1 failed/m);
    assert.ok(!(again.stdout + again.stderr + run.stdout + run.stderr).includes(vault.vsk.slice(5)));
  });

  it('a schema no runtime used is reported, and the CLI creates nothing in the database', async () => {
    const absent = randomSchema();
    const run = await runCliProcess(['fleet', '--from-store', 'env', '--schema', absent, '--vault', 'Production'], { NR_VAULT_PG: PG_URL, NR_VAULT_SECRET: 'unused' }, home);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^nr-vault: error: not_found: The PostgreSQL store at .* has no vault schema "${absent}"`));
    const db = new Client({ connectionString: PG_URL });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [absent]);
      assert.equal(rows.length, 0);
    } finally {
      await db.end();
    }
  });
});
