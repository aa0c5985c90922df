import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, newVaultRecord, parseVsk, signApproval, sodiumReady, VaultError } from '../../credentials';
import { createStore } from '../../credentials/store/create-store';
import type { VaultStore } from '../../credentials/store/vault-store';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { PG_URL, randomSchema } from '../helpers/postgres';
import { rawRequest } from '../helpers/raw-request';
import type { TestVault, VaultTestClient } from '../helpers/vault-client';

// Issue 13 item 4: a vault can be deleted (DELETE vault/vaults/{v}, vault.write, cross-site refused),
// with its items and approvals, in both stores.
const codeOf = (e: unknown) => (e instanceof VaultError ? e.code : String(e));

for (const kind of ['file', 'postgres'] as const) {
  describe(`${kind} store: deleteVault`, function () {
    this.timeout(60_000);
    let store: VaultStore;
    let dir: string;
    before(async () => {
      await sodiumReady();
      dir = mkdtempSync(join(tmpdir(), 'nr-vault-delete-'));
      store = await createStore(kind === 'file' ? { type: 'file' } : { type: 'postgres', connectionString: PG_URL, schema: randomSchema() }, dir);
      await store.open();
    });
    after(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('removes the vault with its items and approvals; the other vault stays; a second delete is unknown_vault', async () => {
      const made = newVaultRecord('Gone');
      const kept = newVaultRecord('Kept');
      for (const r of [made, kept]) await store.createVault({ ...r.record, createdAt: new Date().toISOString() });
      for (const r of [made, kept]) await store.putItem(r.record.id, newId(), { name: 'Login', type: 'login', plain: { username: 'u' }, secret: {} });
      const runtime = { id: newId(), publicKey: new Uint8Array(32).fill(7) };
      for (const r of [made, kept]) {
        const a = signApproval(parseVsk(r.vsk), r.record, runtime);
        await store.putApproval({ ...a, approvedAt: new Date().toISOString() });
      }
      await store.deleteVault(made.record.id);
      assert.deepEqual((await store.listVaults()).map((v) => v.id), [kept.record.id]);
      await assert.rejects(store.listItems(made.record.id), (e) => codeOf(e) === 'unknown_vault');
      assert.equal((await store.listItems(kept.record.id)).length, 1);
      assert.deepEqual((await store.listApprovals()).map((a) => a.vault), [kept.record.id]);
      await assert.rejects(store.deleteVault(made.record.id), (e) => codeOf(e) === 'unknown_vault');
    });
  });
}

describe('DELETE vault/vaults/{v} on a real Node-RED with adminAuth', function () {
  this.timeout(120_000);
  let nr: NodeRedProcess;
  let admin: VaultTestClient;
  let adminToken: string;
  let readerToken: string;
  let vault: TestVault;

  before(async () => {
    nr = await startNodeRed({
      users: [
        { username: 'admin', password: 'admin-pass-1', permissions: '*' },
        { username: 'reader', password: 'reader-pass-1', permissions: 'read' },
      ],
    });
    adminToken = await nr.token('admin');
    readerToken = await nr.token('reader');
    admin = nr.client(adminToken);
    vault = await admin.createVault('To delete');
    assert.equal((await admin.putItem(vault, { name: 'Login', type: 'login', plain: { username: 'u' }, secret: { password: 'p-canary' } })).status, 200);
    assert.equal((await admin.unlock(vault)).status, 200);
  });
  after(async () => {
    await nr?.stop();
  });

  const listed = async () => ((await nr.call(adminToken)('GET', 'vault/vaults')).body as { id: string }[]).map((v) => v.id);

  it('is refused without a token (401), without vault.write (403) and from another site\'s page (403)', async () => {
    assert.equal((await nr.call()('DELETE', `vault/vaults/${vault.id}`)).status, 401);
    const reader = await nr.call(readerToken)('DELETE', `vault/vaults/${vault.id}`);
    assert.equal(reader.status, 403);
    assert.equal(reader.body.error.code, 'forbidden');
    const page = await rawRequest(`${nr.url}vault/vaults/${vault.id}`, 'DELETE', {
      authorization: `Bearer ${adminToken}`, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors',
    });
    assert.equal(page.status, 403);
    assert.ok((await listed()).includes(vault.id));
  });

  it('deletes the vault, locks it and removes its items; an unknown vault is 404 unknown_vault', async () => {
    const res = await nr.call(adminToken)('DELETE', `vault/vaults/${vault.id}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { vault: vault.id, deleted: true });
    assert.ok(!(await listed()).includes(vault.id));
    const items = await nr.call(adminToken)('GET', `vault/vaults/${vault.id}/items`);
    assert.equal(items.status, 404);
    const again = await nr.call(adminToken)('DELETE', `vault/vaults/${vault.id}`);
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'unknown_vault');
    // Recreated under the same id with another key: nothing of the old vault is open.
    const other = await admin.createVault('Same id', vault.id);
    const after = ((await nr.call(adminToken)('GET', 'vault/vaults')).body as { id: string; unlocked: boolean }[]).find((v) => v.id === other.id);
    assert.equal(after?.unlocked, false);
  });
});
