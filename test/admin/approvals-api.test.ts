import assert from 'node:assert/strict';
import { fromB64, newRuntimeKeys, parseVsk, signApproval, sodiumReady, verifyRuntimeApproval, vaultSigningPublicKey } from '../../credentials';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { Call, TestVault } from '../helpers/vault-client';

/**
 * The runtime's approval routes on a real Node-RED with adminAuth: what the CLI, the Vault page's
 * unlock dialog (this runtime's own approval per vault) and the later Runtimes page use.
 */
describe('admin API: runtime approvals', function () {
  this.timeout(120_000);
  let nr: NodeRedProcess;
  let call: Call;
  let vault: TestVault;
  let share: string;
  let self: { id: string; publicKey: string };
  const other = () => newRuntimeKeys();

  before(async () => {
    await sodiumReady();
    nr = await startNodeRed({ users: [{ username: 'admin', password: 'admin-pass-1', permissions: '*' }] });
    call = nr.call(await nr.token('admin'));
    vault = await nr.client(await nr.token('admin')).createVault('Approvals');
    share = ((await call('GET', 'vault/vaults')).body as { id: string; share: string }[]).find((v) => v.id === vault.id)?.share ?? '';
    self = (await call('GET', 'vault/runtime')).body as { id: string; publicKey: string };
  });
  after(() => nr?.stop());

  const sign = (runtime: { id: string; publicKey: Uint8Array }, vsk = vault.vsk) => signApproval(parseVsk(vsk), { id: vault.id, share }, runtime);
  const put = (a: { runtime: string; publicKey: string; sig: string }) => call('PUT', `vault/vaults/${vault.id}/approvals/${a.runtime}`, { publicKey: a.publicKey, sig: a.sig });

  it('records this runtime\'s approval and lists it per vault (and per runtime); the listing verifies with the VSK', async () => {
    const a = sign({ id: self.id, publicKey: fromB64(self.publicKey, 32) ?? new Uint8Array() });
    const res = await put(a);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['approvedAt', 'publicKey', 'runtime', 'sig', 'vault']);
    const mine = await call('GET', `vault/vaults/${vault.id}/approvals?runtime=${self.id}`);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.length, 1);
    const signPublicKey = vaultSigningPublicKey(parseVsk(vault.vsk), { id: vault.id, share });
    assert.equal(verifyRuntimeApproval(signPublicKey, mine.body[0], { vault: vault.id, runtime: self.id, publicKey: self.publicKey }), true);
  });

  it('a locked runtime keeps an approval of another runtime after checking its shape only; an unlocked one checks the signature', async () => {
    const o = other();
    const wrongKey = sign(o, 'vsk1_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
    // Locked: the runtime has no signing key to check with; readers verify anyway.
    assert.equal((await put(wrongKey)).status, 200);
    assert.equal((await call('POST', `vault/vaults/${vault.id}/unlock`, { sealed: await nr.client(await nr.token('admin')).sealFor(vault.id, vault.vsk) })).status, 200);
    const refused = await put(wrongKey);
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.error.code, 'not_approved');
    assert.equal((await put(sign(o))).status, 200);
    assert.equal((await call('POST', `vault/vaults/${vault.id}/lock`, {})).status, 200);
  });

  it('revokes an approval: 204, then 404 not_found', async () => {
    const o = other();
    assert.equal((await put(sign(o))).status, 200);
    assert.equal((await call('DELETE', `vault/vaults/${vault.id}/approvals/${o.id}`)).status, 204);
    const again = await call('DELETE', `vault/vaults/${vault.id}/approvals/${o.id}`);
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'not_found');
  });

  it('random bodies to the proof and approval routes are refused with the protocol\'s codes, never a 500', async () => {
    const o = other();
    const values: unknown[] = [null, true, 0, -1, 1e308, '', 'x', [], [1], {}, { sealed: null }, { sealed: 5 }, { sealed: 'A'.repeat(2000) },
      { sealed: '__proto__' }, { publicKey: {}, sig: [] }, { publicKey: 'A'.repeat(43), sig: 'A'.repeat(86) }, { __proto__: { sig: 'x' } },
      { constructor: 'x' }, { publicKey: 'A'.repeat(43) }];
    for (const body of values) {
      for (const [method, path] of [['POST', 'vault/runtime/proof'], ['PUT', `vault/vaults/${vault.id}/approvals/${o.id}`], ['PUT', `vault/vaults/${vault.id}/approvals/constructor`]] as const) {
        const res = await call(method, path, body);
        assert.ok([200, 400].includes(res.status), `${method} ${path} ${JSON.stringify(body)?.slice(0, 40)}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    assert.equal((await call('GET', `vault/vaults/${vault.id}/approvals`)).status, 200, 'still serving');
  });

  it('answers malformed writes with 400 naming the field, unknown vaults with 404', async () => {
    const o = other();
    const good = sign(o);
    for (const [body, field] of [
      [{ publicKey: 'short', sig: good.sig }, 'publicKey'],
      [{ publicKey: good.publicKey, sig: 'short' }, 'sig'],
      [{ publicKey: good.publicKey, sig: good.sig, pad: 'x'.repeat(2000) }, '1 KiB'],
      [['an', 'array'], '1 KiB'],
    ] as const) {
      const res = await call('PUT', `vault/vaults/${vault.id}/approvals/${o.id}`, body);
      assert.equal(res.status, 400, res.text);
      assert.match(res.body?.error?.message ?? '', new RegExp(field), `${JSON.stringify(body).slice(0, 60)}: ${res.text}`);
    }
    assert.equal((await call('PUT', `vault/vaults/${vault.id}/approvals/bad%20id`, good)).status, 400);
    assert.equal((await call('GET', `vault/vaults/${vault.id}/approvals?runtime=bad%20id`)).status, 400);
    const unknown = await call('GET', 'vault/vaults/nope/approvals');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'unknown_vault');
    assert.equal((await call('PUT', `vault/vaults/nope/approvals/${o.id}`, { publicKey: good.publicKey, sig: good.sig })).status, 404);
  });
});
