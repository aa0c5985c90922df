import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, VaultError, readStoreRegistry, type VaultStore } from '../../../credentials';
import { PostgresStore } from '../../../credentials/store/postgres-store';
import { PG_URL, dropSchema, randomSchema, sql } from '../../helpers/postgres';
import { vaultRecord } from './contract';

const isCode = (code: string) => (e: unknown): boolean => e instanceof VaultError && e.code === code;
// Shapes only: a store never checks a signature (it has no key that could).
const approval = (vault: string, runtime: string, tag = 'A') => ({
  vault, runtime, publicKey: tag.repeat(43).slice(0, 43), sig: tag.repeat(86).slice(0, 86), approvedAt: '2026-12-01T10:00:00.000Z',
});

interface Fixture {
  store: VaultStore;
  /** Put raw, malformed entries where the store keeps approvals, as a store writer would. */
  tamper(entries: Record<string, unknown>[]): Promise<void>;
  cleanup(): Promise<void>;
}

function approvalsSuite(title: string, make: () => Promise<Fixture>): void {
  describe(`runtime approvals in the ${title}`, () => {
    let fx: Fixture;
    beforeEach(async () => {
      fx = await make();
      await fx.store.createVault(vaultRecord('va'));
      await fx.store.createVault(vaultRecord('vb'));
    });
    afterEach(() => fx.cleanup());

    it('keeps one approval per vault and runtime; lists them by vault, runtime or all', async () => {
      const s = fx.store;
      await s.putApproval(approval('va', 'r1'));
      await s.putApproval(approval('va', 'r2'));
      await s.putApproval(approval('vb', 'r1'));
      await s.putApproval(approval('va', 'r1', 'B')); // replaces
      assert.deepEqual((await s.listApprovals({ vault: 'va' })).map((a) => [a.runtime, a.sig[0]]).sort(), [['r1', 'B'], ['r2', 'A']]);
      assert.deepEqual((await s.listApprovals({ runtime: 'r1' })).map((a) => a.vault).sort(), ['va', 'vb']);
      assert.deepEqual(await s.listApprovals({ vault: 'va', runtime: 'r2' }), [approval('va', 'r2')]);
      assert.equal((await s.listApprovals()).length, 3);
    });

    it('revokes an approval; revoking what is not there is false', async () => {
      const s = fx.store;
      await s.putApproval(approval('va', 'r1'));
      assert.equal(await s.deleteApproval('va', 'r1'), true);
      assert.equal(await s.deleteApproval('va', 'r1'), false);
      assert.deepEqual(await s.listApprovals(), []);
    });

    it('an approval for a vault that does not exist is unknown_vault', async () => {
      await assert.rejects(fx.store.putApproval(approval('nope', 'r1')), isCode('unknown_vault'));
    });

    it('ids that are names on Object.prototype are ordinary ids', async () => {
      const s = fx.store;
      assert.equal(await s.deleteApproval('constructor', '__proto__'), false);
      assert.deepEqual(await s.listApprovals({ vault: 'toString' }), []);
    });

    it('leaves out malformed approvals a store writer put there, and keeps serving the good ones', async () => {
      await fx.store.putApproval(approval('va', 'r1'));
      await fx.tamper([
        { ...approval('va', 'r2'), sig: 'short' },
        { ...approval('va', 'r3'), publicKey: 'not base64url!!'.padEnd(43, '!') },
        { ...approval('va', 'r4'), approvedAt: 'never' },
        { ...approval('va', 'r5'), runtime: 'bad id with spaces' },
        { ...approval('va', 'r6'), sig: 'A'.repeat(100_000) },
      ]);
      assert.deepEqual(await fx.store.listApprovals({ vault: 'va' }), [approval('va', 'r1')]);
    });
  });
}

approvalsSuite('file store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nr-vault-approvals-'));
  const path = join(dir, 'nr-vault.json');
  let store = new FileStore(path);
  await store.open();
  return {
    get store() { return store; },
    async tamper(entries) {
      await store.close();
      const data = JSON.parse(readFileSync(path, 'utf8')) as { approvals?: Record<string, unknown> };
      entries.forEach((e, i) => { (data.approvals ??= {})[`x${i}`] = e; });
      (data.approvals ??= {}).junk = 'not an object';
      (data.approvals ??= {}).nothing = null;
      writeFileSync(path, JSON.stringify(data));
      store = new FileStore(path);
      await store.open();
    },
    async cleanup() { await store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
});

approvalsSuite('postgres store', async () => {
  const schema = randomSchema();
  const store = new PostgresStore({ connectionString: PG_URL, schema });
  await store.open();
  return {
    store,
    async tamper(entries) {
      for (const e of entries as ReturnType<typeof approval>[]) {
        await sql(`INSERT INTO "${schema}".approvals (vault, runtime, public_key, sig, approved_at) VALUES ($1, $2, $3, $4, $5)`,
          [e.vault, e.runtime, e.publicKey, e.sig, e.approvedAt]);
      }
    },
    async cleanup() { await store.close(); await dropSchema(schema); },
  };
});

describe('file store: an approvals entry that is not a map', () => {
  it('reads as no approvals, and the next approval replaces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nr-vault-approvals-'));
    const path = join(dir, 'nr-vault.json');
    try {
      writeFileSync(path, JSON.stringify({ format: 1, vaults: { va: vaultRecord('va') }, items: { va: {} }, runtimes: {}, approvals: [1, 2] }));
      const store = new FileStore(path);
      await store.open();
      assert.deepEqual(await store.listApprovals(), []);
      await store.putApproval(approval('va', 'r1'));
      assert.deepEqual(await store.listApprovals(), [approval('va', 'r1')]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('postgres store: the registry as the CLI reads it', () => {
  it('reads runtimes, vaults and approvals with one short connection', async () => {
    const schema = randomSchema();
    const store = new PostgresStore({ connectionString: PG_URL, schema });
    try {
      await store.open();
      await store.createVault(vaultRecord('va'));
      await store.putApproval(approval('va', 'r1'));
      const registry = await readStoreRegistry({ connectionString: PG_URL, schema });
      assert.deepEqual(registry.vaults.map((v) => v.id), ['va']);
      assert.deepEqual(registry.approvals, [approval('va', 'r1')]);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it('a schema a runtime of version 1 made (no approvals table) reads as no approvals', async () => {
    const schema = randomSchema();
    const store = new PostgresStore({ connectionString: PG_URL, schema });
    try {
      await store.open();
      await store.createVault(vaultRecord('va'));
      await sql(`DROP TABLE "${schema}".approvals`);
      const registry = await readStoreRegistry({ connectionString: PG_URL, schema });
      assert.deepEqual(registry.approvals, []);
      assert.equal(registry.vaults.length, 1);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
