import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { newRuntimeKeys, runtimeFingerprint, sodiumReady, toB64 } from '../../../credentials';
import { runCliProcess, type CliRun } from '../../helpers/cli-process';
import { freePort } from '../../helpers/closed-port';
import { ADMIN, startNodeRed, type NodeRedProcess } from '../../helpers/node-red';
import { PG_URL, dropSchema, randomSchema } from '../../helpers/postgres';
import { RecordingServer } from '../../helpers/recording-server';
import { fetchCall, VaultTestClient } from '../../helpers/vault-client';

async function db<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('nr-vault fleet --from-store: only runtimes whose approval verifies receive the key', function () {
  this.timeout(180_000);
  const schema = randomSchema();
  const reds: NodeRedProcess[] = [];
  const attackers: RecordingServer[] = [];
  let home: string;
  let vault: { id: string; vsk: string };
  let env: Record<string, string>;
  const args = (): string[] => ['fleet', '--from-store', 'env', '--schema', schema, '--vault', 'Production', '--user', ADMIN.username];
  const all = (r: CliRun): string => r.stdout + r.stderr;
  const identity = (red: NodeRedProcess) => fetch(`${red.url}vault/runtime`).then((r) => r.json() as Promise<{ id: string; name: string; publicKey: string; fingerprint: string }>);
  const unlocked = async (red: NodeRedProcess): Promise<boolean> => {
    const list = (await (await fetch(`${red.url}vault/vaults`, { headers: { authorization: `Bearer ${await red.token()}` } })).json()) as { id: string; unlocked: boolean }[];
    return list.find((v) => v.id === vault.id)?.unlocked === true;
  };
  const lockAll = async (): Promise<void> => {
    for (const red of reds) {
      await fetch(`${red.url}vault/vaults/${vault.id}/lock`, { method: 'POST', headers: { authorization: `Bearer ${await red.token()}` } });
    }
  };

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
    const red1 = reds[0];
    assert.ok(red1);
    vault = await new VaultTestClient(fetchCall(red1.url, await red1.token())).createVault('Production', 'pgvault');
    env = { NR_VAULT_PG: PG_URL, NR_VAULT_PASSWORD: ADMIN.password, NR_VAULT_SECRET: vault.vsk, NR_VAULT_KNOWN_RUNTIMES: join(home, 'known') };
  });

  after(async () => {
    await Promise.all([...reds.map((r) => r.stop()), ...attackers.map((a) => a.stop())]);
    rmSync(home, { recursive: true, force: true });
    await dropSchema(schema).catch(() => undefined);
  });

  it('without approvals no runtime is contacted: each is not_approved with its fingerprint', async () => {
    const run = await runCliProcess(args(), env, home);
    assert.equal(run.code, 1, all(run));
    for (const red of reds) {
      const { fingerprint, name } = await identity(red);
      assert.match(run.stdout, new RegExp(`^FAILED +${name} +\\(not contacted\\) +not_approved: .* fingerprint ${fingerprint}$`, 'm'));
      assert.equal(await unlocked(red), false);
    }
    assert.match(run.stdout, /^fleet: 3 runtimes, 0 unlocked, 3 failed/m);
    assert.match(run.stderr, /^hint: not_approved: .*nr-vault approve/m);
  });

  it('approve (fingerprint checked) and unlock of a pinned runtime record approvals; then the fleet unlocks all three', async () => {
    const [red1, red2, red3] = reds;
    assert.ok(red1 && red2 && red3);
    // Line 1: approved with the fingerprint given; line 2: confirmed against its pin from an earlier contact.
    const fp1 = (await identity(red1)).fingerprint;
    // The admin compares it with what the runtime logged at start.
    assert.match(red1.log, new RegExp(`nr-vault: runtime "pg-line-1" \\(id [A-Za-z0-9_-]+\\), key fingerprint ${fp1}`));
    const a1 = await runCliProcess(['approve', red1.url, '--vault', 'Production', `--fingerprint=${fp1}`, '--user', ADMIN.username], env, home);
    assert.equal(a1.code, 0, all(a1));
    assert.match(a1.stdout, new RegExp(`is approved for vault "Production" \\(${vault.id}\\)`));
    const pin = await runCliProcess(['runtime', red2.url], env, home);
    assert.equal(pin.code, 0, all(pin));
    const a2 = await runCliProcess(['approve', red2.url, '--vault', 'Production', '--user', ADMIN.username], env, home);
    assert.equal(a2.code, 0, all(a2));
    // Line 3: `nr-vault unlock` of a pinned runtime approves it at once.
    assert.equal((await runCliProcess(['runtime', red3.url], env, home)).code, 0);
    const u3 = await runCliProcess(['unlock', red3.url, '--vault', 'Production', '--user', ADMIN.username], env, home);
    assert.equal(u3.code, 0, all(u3));
    assert.match(u3.stdout, /is now approved for this vault/);
    await lockAll();

    const run = await runCliProcess(args(), env, home);
    assert.equal(run.code, 0, all(run));
    for (let i = 1; i <= 3; i++) assert.match(run.stdout, new RegExp(`^ok +pg-line-${i} .* vault "Production" \\(${vault.id}\\) unlocked`, 'm'));
    for (const red of reds) assert.equal(await unlocked(red), true);
    assert.ok(!(all(a1) + all(a2) + all(u3) + all(run)).includes(vault.vsk.slice(5)));
    await lockAll();
  });

  it('approve refuses a fingerprint that does not match, and without a pin or a terminal approves nothing', async () => {
    const red1 = reds[0];
    assert.ok(red1);
    const fresh = { ...env, NR_VAULT_KNOWN_RUNTIMES: join(home, 'known-empty') };
    const wrong = await runCliProcess(['approve', red1.url, '--vault', 'Production', '--fingerprint', 'A'.repeat(43), '--user', ADMIN.username], fresh, home);
    assert.equal(wrong.code, 1, all(wrong));
    assert.match(wrong.stderr, /^nr-vault: error: fingerprint_changed: .* not A{43}: nothing was approved/m);
    const unpinned = await runCliProcess(['approve', red1.url, '--vault', 'Production', '--user', ADMIN.username], fresh, home);
    assert.equal(unpinned.code, 1, all(unpinned));
    assert.match(unpinned.stderr, /^nr-vault: error: not_approved: .*--fingerprint/m);
  });

  it('a forged registry row pointing at an attacker gets nothing: no key, no password, not even a request', async () => {
    const attacker = await RecordingServer.start(() => ({ status: 200, body: {} }));
    attackers.push(attacker);
    const evil = newRuntimeKeys();
    await db((c) => c.query(
      `INSERT INTO "${schema}".runtimes (id, name, public_key, fingerprint, admin_url, last_seen) VALUES ($1, $2, $3, $4, $5, now())`,
      [evil.id, 'pg-line-1 (new) \u001b[2J\u001b]0;owned\u0007', toB64(evil.publicKey), runtimeFingerprint(evil.publicKey), attacker.url],
    ));
    // And a forged approval for it: random bytes in the right shape, which no VSK holder signed.
    await db((c) => c.query(
      `INSERT INTO "${schema}".approvals (vault, runtime, public_key, sig, approved_at) VALUES ($1, $2, $3, $4, now()::text)`,
      [vault.id, evil.id, toB64(evil.publicKey), toB64(new Uint8Array(64).fill(7))],
    ));
    const run = await runCliProcess(args(), env, home);
    assert.equal(run.code, 1, all(run));
    assert.match(run.stdout, new RegExp(`^FAILED +pg-line-1 \\(new\\) .* not_approved: .* fingerprint ${runtimeFingerprint(evil.publicKey)}$`, 'm'));
    assert.ok(!all(run).includes('\u001b'), 'no escape sequence from a runtime name reaches the terminal');
    assert.deepEqual(attacker.requests, []);
    assert.match(run.stdout, /^fleet: 4 runtimes, 3 unlocked, 1 failed/m);
    await lockAll();
    await db((c) => c.query(`DELETE FROM "${schema}".runtimes WHERE id = $1`, [evil.id]));
  });

  it('a forged row copying an approved runtime (id, key, approval) at the attacker\'s URL gets no password or token', async () => {
    const red1 = reds[0];
    assert.ok(red1);
    const real = await identity(red1);
    // The attacker's server shows the real runtime's public identity, copied from the store.
    const attacker = await RecordingServer.start((req) => (req.url === '/vault/runtime'
      ? { status: 200, body: { ...real, protocol: 1 } }
      : { status: 200, body: { proof: toB64(new Uint8Array(32)), access_token: 'x' } }));
    attackers.push(attacker);
    // The real row at the attacker's URL, seen more recently (the approval of line 1 stays valid for it).
    await db((c) => c.query(`UPDATE "${schema}".runtimes SET admin_url = $1, last_seen = now() + interval '1 minute' WHERE id = $2`, [attacker.url, real.id]));
    try {
      const run = await runCliProcess(args(), env, home);
      assert.equal(run.code, 1, all(run));
      assert.match(run.stdout, /^FAILED +pg-line-1 .* fingerprint_mismatch: .* does not hold its key: nothing was sent to it/m);
      assert.deepEqual(attacker.credentialed(), [], 'no password, no token');
      assert.ok(!attacker.requests.some((r) => r.body.includes(ADMIN.password)));
      assert.equal(await unlocked(red1), false);
    } finally {
      await db((c) => c.query(`UPDATE "${schema}".runtimes SET admin_url = $1 WHERE id = $2`, [red1.url, real.id]));
      await lockAll();
    }
  });

  it('a key the registry changed does not verify; a pin in known_runtimes wins over the store', async () => {
    const [, red2, red3] = reds;
    assert.ok(red2 && red3);
    const other = newRuntimeKeys();
    const line2 = await identity(red2);
    await db((c) => c.query(`UPDATE "${schema}".runtimes SET public_key = $1, fingerprint = $2 WHERE id = $3`, [toB64(other.publicKey), runtimeFingerprint(other.publicKey), line2.id]));
    // line-3's URL pinned to another key: the store's (validly approved) entry must not override it.
    const known = join(home, 'known-other');
    writeFileSync(known, `${red3.url} ${'B'.repeat(43)} someone\n`, { mode: 0o600 });
    try {
      const run = await runCliProcess(args(), { ...env, NR_VAULT_KNOWN_RUNTIMES: known }, home);
      assert.equal(run.code, 1, all(run));
      assert.match(run.stdout, new RegExp(`^FAILED +pg-line-2 +\\(not contacted\\) +not_approved: .* fingerprint ${runtimeFingerprint(other.publicKey)}$`, 'm'));
      assert.match(run.stdout, /^FAILED +pg-line-3 +\(not contacted\) +fingerprint_changed: .* pins .* to fingerprint B{43}/m);
      assert.match(run.stdout, /^ok +pg-line-1 /m);
      assert.equal(await unlocked(red2), false);
      assert.equal(await unlocked(red3), false);
      assert.ok(!all(run).includes(vault.vsk.slice(5)));
    } finally {
      await db((c) => c.query(`UPDATE "${schema}".runtimes SET public_key = $1, fingerprint = $2 WHERE id = $3`, [line2.publicKey, line2.fingerprint, line2.id]));
      await lockAll();
    }
  });

  it('a schema no runtime used is reported, and the CLI creates nothing in the database', async () => {
    const absent = randomSchema();
    const run = await runCliProcess(['fleet', '--from-store', 'env', '--schema', absent, '--vault', 'Production'], { NR_VAULT_PG: PG_URL, NR_VAULT_SECRET: vault.vsk }, home);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^nr-vault: error: not_found: The PostgreSQL store at .* has no vault schema "${absent}"`));
    const { rows } = await db((c) => c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [absent]));
    assert.equal(rows.length, 0);
  });
});
