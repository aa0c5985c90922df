import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deriveVaultKeyPair, newShare, newVsk, openField, sodiumReady, toB64, VaultError, VaultRuntime, type UnlockNeeded,
} from '../../credentials';
import { PostgresStore } from '../../credentials/store/postgres-store';
import { createVault, putItem } from '../helpers/oauth-fixture';
import { PG_URL, dropSchema, randomSchema, sql } from '../helpers/postgres';
import { waitFor } from '../helpers/wait';
import { vaultRecord } from './store/contract';

describe('the runtime reports what it used to drop without a word, and asks for unlocks sparingly', function () {
  this.timeout(30_000);
  let dir: string;
  let warnings: string[];
  let rt: VaultRuntime | undefined;
  let schema: string | undefined;
  beforeEach(async () => {
    await sodiumReady();
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-reports-'));
    warnings = [];
  });
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    if (schema) await dropSchema(schema);
    schema = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('vault/unlock-needed: once per vault and node however many messages, again after a lock', async () => {
    rt = await VaultRuntime.start(dir, {}, { warn: (m) => warnings.push(m) });
    const vault = await createVault(rt);
    const asked: UnlockNeeded[] = [];
    rt.on('unlock-needed', (u) => asked.push(u));
    let reads = 0;
    const getVault = rt.store.getVault.bind(rt.store);
    rt.store.getVault = (id) => { reads++; return getVault(id); };
    for (let i = 0; i < 3_000; i++) rt.requestUnlock(vault.id, 'node-1');
    rt.requestUnlock(vault.id, 'node-2');
    await waitFor('the events', () => asked.length === 2, 2_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(asked.map((a) => a.node), ['node-1', 'node-2']);
    assert.equal(reads, 2, 'one store read per event, not per message');
    await rt.keyring.unlock(vault.id, vault.vsk);
    rt.keyring.lock(vault.id);
    rt.requestUnlock(vault.id, 'node-1');
    await waitFor('asked again after the lock', () => asked.length === 3, 2_000);
  });

  it('a failed read while asking for an unlock is logged (rate-limited), and the request still goes out by id', async () => {
    rt = await VaultRuntime.start(dir, {}, { warn: (m) => warnings.push(m) });
    const asked: UnlockNeeded[] = [];
    rt.on('unlock-needed', (u) => asked.push(u));
    rt.store.getVault = async () => { throw new VaultError('store_unavailable', 'The store is away.'); };
    for (const node of ['a', 'b', 'c']) rt.requestUnlock('v1', node);
    await waitFor('the requests', () => asked.length === 3, 2_000);
    assert.deepEqual(asked[0], { vault: 'v1', name: 'v1', node: 'a' });
    const reports = warnings.filter((w) => /could not read vault "v1" to ask for its unlock \(store_unavailable\)/.test(w));
    assert.equal(reports.length, 1, warnings.join('\n'));
  });

  it('a failed registry heartbeat is logged, once per interval, not dropped', async () => {
    schema = randomSchema();
    const store = new PostgresStore({ connectionString: PG_URL, schema, heartbeatMs: 50 }, { warn: (m) => warnings.push(m) });
    await store.open();
    try {
      await store.registerRuntime({ id: 'r1', name: 'R', publicKey: 'p', fingerprint: 'f', lastSeen: new Date().toISOString() });
      await sql(`DROP TABLE "${schema}".runtimes`);
      await waitFor('the report', () => warnings.some((w) => /could not record that this runtime is alive/.test(w)), 5_000);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(warnings.filter((w) => /alive/.test(w)).length, 1, 'rate-limited: one report, not one per beat');
    } finally {
      await store.close();
    }
  });

  it('a vault public key swapped while unlocked: token writes are sealed to the derived key only, and it is reported', async () => {
    schema = randomSchema();
    rt = await VaultRuntime.start(dir, { store: { type: 'postgres', connectionString: PG_URL, schema } }, { warn: (m) => warnings.push(m) });
    const vault = await createVault(rt);
    const id = await putItem(rt, vault, { name: 'API', type: 'oauth2-client', plain: { tokenUrl: 'https://auth.example/oauth/token', clientId: 'c' }, secret: { clientSecret: 'cs' } });
    await rt.keyring.unlock(vault.id, vault.vsk);
    const attacker = deriveVaultKeyPair(newVsk(), newShare(), vault.id);
    await sql(`UPDATE "${schema}".vaults SET public_key = $1 WHERE id = $2`, [toB64(attacker.publicKey), vault.id]);
    const item = await rt.keyring.getItem(vault.id, id);
    await rt.keyring.writeFields(vault.id, id, { secret: { accessToken: 'token-canary' }, plain: { expiresAt: '1' } }, item.version);
    const stored = (await rt.store.getItem(vault.id, id))!;
    const place = { vault: vault.id, item: id, field: 'accessToken', type: 'oauth2-client', plain: stored.plain };
    assert.throws(() => openField(attacker, place, stored.secret.accessToken), (e: unknown) => e instanceof VaultError && e.code === 'tampered');
    assert.equal((await rt.keyring.getItem(vault.id, id, { fresh: true })).fields.accessToken, 'token-canary');
    assert.ok(warnings.some((w) => /stored record of vault .* was changed while it is unlocked here/.test(w)), warnings.join('\n'));
    assert.equal(rt.keyring.isRecordTampered((await rt.store.getVault(vault.id))!), true);
    assert.equal(rt.keyring.isRecordTampered({ ...vaultRecord(vault.id), publicKey: toB64(vault.publicKey), share: (await rt.store.getVault(vault.id))!.share }), false);
  });
});
