import assert from 'node:assert/strict';
import { fromB64, newId, newProofChallenge, parseVsk, sealField, signApproval, toB64 } from '../../credentials';
import type { CommsClient } from '../helpers/comms-client';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { Call, TestVault, VaultTestClient } from '../helpers/vault-client';

/**
 * node-red-node-test-helper does not enforce adminAuth, so the scopes are proven against a real
 * Node-RED process with two users: "admin" (*) and "reader" (read).
 */
describe('admin API permissions on a real Node-RED with adminAuth', function () {
  this.timeout(120_000);
  let nr: NodeRedProcess;
  let admin: VaultTestClient;
  let adminToken: string;
  let readerToken: string;
  let vault: TestVault;
  let itemId: string;
  let runtime: { id: string; publicKey: string };
  let share: string;

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
    vault = await admin.createVault('Permissions');
    runtime = (await nr.call()('GET', 'vault/runtime')).body as { id: string; publicKey: string };
    share = ((await nr.call(adminToken)('GET', 'vault/vaults')).body as { id: string; share: string }[]).find((v) => v.id === vault.id)?.share ?? '';
    itemId = newId();
    const res = await admin.putItem(vault, { id: itemId, name: 'Login', type: 'login', plain: { username: 'u' }, secret: { password: 'p' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
  after(async () => {
    await nr?.stop();
  });

  const vaultRecord = () => ({ id: newId(), name: 'Another', share: toB64(new Uint8Array(32).fill(1)), publicKey: toB64(new Uint8Array(32).fill(2)) });
  const itemBody = () => ({ name: 'Login', type: 'login', plain: { username: 'u2' }, secret: { password: sealField(vault.publicKey, { vault: vault.id, item: itemId, field: 'password', type: 'login', plain: { username: 'u2' } }, 'p2') } });
  /** Every vault route, with a body that would be accepted. */
  const routes = (): { scope: 'read' | 'write' | 'unlock'; method: string; path: string; body?: () => Promise<unknown> | unknown }[] => [
    { scope: 'read', method: 'GET', path: 'vault/types' },
    { scope: 'read', method: 'GET', path: 'vault/vaults' },
    { scope: 'read', method: 'GET', path: `vault/vaults/${vault.id}/items` },
    { scope: 'write', method: 'POST', path: 'vault/vaults', body: vaultRecord },
    { scope: 'write', method: 'PUT', path: `vault/vaults/${vault.id}/items/${itemId}`, body: itemBody },
    { scope: 'write', method: 'DELETE', path: `vault/vaults/${vault.id}/items/${newId()}` },
    { scope: 'unlock', method: 'POST', path: `vault/vaults/${vault.id}/unlock`, body: async () => ({ sealed: await admin.sealFor(vault.id, vault.vsk) }) },
    { scope: 'unlock', method: 'POST', path: `vault/vaults/${vault.id}/lock`, body: () => ({}) },
    { scope: 'read', method: 'GET', path: `vault/vaults/${vault.id}/approvals` },
    { scope: 'unlock', method: 'PUT', path: `vault/vaults/${vault.id}/approvals/${runtime.id}`, body: approvalBody },
    { scope: 'unlock', method: 'DELETE', path: `vault/vaults/${vault.id}/approvals/${newId()}` },
  ];
  const approvalBody = () => {
    const { publicKey, sig } = signApproval(parseVsk(vault.vsk), { id: vault.id, share }, { id: runtime.id, publicKey: fromB64(runtime.publicKey, 32) ?? new Uint8Array() });
    return { publicKey, sig };
  };
  const send = async (call: Call, r: ReturnType<typeof routes>[number]) => call(r.method, r.path, r.body ? await r.body() : undefined);

  it('the runtime identity and its proof answer without credentials (identity is public)', async () => {
    const res = await nr.call()('GET', 'vault/runtime');
    assert.equal(res.status, 200, res.text);
    for (const key of ['id', 'name', 'publicKey', 'fingerprint', 'protocol']) assert.ok(key in res.body, key);
    const challenge = newProofChallenge(res.body.id, fromB64(res.body.publicKey, 32) ?? new Uint8Array());
    const proof = await nr.call()('POST', 'vault/runtime/proof', { sealed: challenge.sealed });
    assert.equal(proof.status, 200, proof.text);
    assert.equal(challenge.verify(proof.body.proof), true);
    const junk = await nr.call()('POST', 'vault/runtime/proof', { sealed: 'AAAA' });
    assert.equal(junk.status, 400);
    assert.equal(junk.body.error.code, 'bad_seal');
  });

  it('every vault route is 401 without a token, and with a token that is not one', async () => {
    for (const r of routes()) {
      assert.equal((await send(nr.call(), r)).status, 401, `${r.method} ${r.path}`);
      assert.equal((await send(nr.call('not-a-token'), r)).status, 401, `${r.method} ${r.path} (bad token)`);
    }
  });

  // Node-RED itself answers 401 for a missing scope too; admin/routes/scopes.ts makes it 403 forbidden.
  it('the read-only user reads (200) and is refused every write and unlock route (403 forbidden), changing nothing', async () => {
    const reader = nr.call(readerToken);
    const before = await reader('GET', `vault/vaults/${vault.id}/items`);
    for (const r of routes()) {
      const res = await send(reader, r);
      assert.equal(res.status, r.scope === 'read' ? 200 : 403, `${r.method} ${r.path}: ${res.status} ${res.text}`);
      if (r.scope !== 'read') {
        assert.equal(res.body.error.code, 'forbidden');
        assert.equal(res.body.error.message, `This Node-RED user does not have the vault.${r.scope} permission.`);
      }
    }
    assert.deepEqual((await reader('GET', `vault/vaults/${vault.id}/items`)).body, before.body);
    assert.equal((await reader('GET', 'vault/vaults')).body.length, 1);
    assert.equal((await reader('GET', 'vault/vaults')).body[0].unlocked, false);
  });

  it('the * user can do everything', async () => {
    const call = nr.call(adminToken);
    const expected: Record<string, number> = { GET: 200, POST: 200, PUT: 200, DELETE: 404 };
    for (const r of routes()) {
      const res = await send(call, r);
      const status = r.path === 'vault/vaults' && r.method === 'POST' ? 201 : expected[r.method];
      // The DELETE names an item that never existed: not_found proves the route ran past the scope check.
      assert.equal(res.status, status, `${r.method} ${r.path}: ${res.text}`);
    }
    assert.equal((await call('DELETE', `vault/vaults/${vault.id}/items/${itemId}`)).status, 204);
  });

  describe('vault/changed events on /comms', () => {
    let comms: CommsClient;
    before(async () => {
      comms = await nr.openComms(readerToken, ['vault/#']);
    });
    after(() => comms.close());

    const next = async (action: () => Promise<{ status: number }>, expectStatus: number, data: Record<string, string>) => {
      comms.clear();
      assert.equal((await action()).status, expectStatus);
      const m = await comms.waitFor((x) => x.topic === 'vault/changed', 15_000, 'vault/changed');
      assert.deepEqual(m.data, data);
    };

    it('carry ids only, for vault creation, item writes and deletes, unlock and lock', async () => {
      const v = await admin.createVault('Events');
      await comms.waitFor((x) => x.topic === 'vault/changed' && (x.data as { vault: string }).vault === v.id);
      const id = newId();
      await next(() => admin.putItem(v, { id, name: 'Secret name?', type: 'api-key', secret: { key: 'event-canary-value' } }), 200, { vault: v.id, item: id });
      await next(() => admin.unlock(v), 200, { vault: v.id });
      await next(() => admin.lock(v), 200, { vault: v.id });
      await next(() => admin.call('DELETE', `vault/vaults/${v.id}/items/${id}`), 204, { vault: v.id, item: id });
      for (const f of comms.frames) {
        assert.ok(!f.includes('event-canary-value') && !f.includes(v.vsk.slice(5)), f);
      }
    });

    it('a refused write publishes nothing', async () => {
      comms.clear();
      assert.equal((await nr.call(adminToken)('PUT', `vault/vaults/${vault.id}/items/${newId()}`, { name: 'x', type: 'nope' })).status, 400);
      assert.equal((await nr.call(readerToken)('POST', `vault/vaults/${vault.id}/lock`, {})).status, 403);
      // A later accepted write's event is the first one to arrive.
      const id = newId();
      await next(() => admin.putItem(vault, { id, name: 'After', type: 'custom' }), 200, { vault: vault.id, item: id });
      assert.equal(comms.messages.filter((m) => m.topic === 'vault/changed').length, 1);
    });
  });
});
