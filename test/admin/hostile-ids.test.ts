import assert from 'node:assert/strict';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';

/** Ids that name properties of Object.prototype: stored maps must not look them up there. */
const PROTOTYPE_IDS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('admin API: ids that are names of prototype properties', () => {
  const ctx = useNodeRed();
  beforeEach(async () => {
    await helper.load([vaultNode, getItemNode], []);
  });

  it('an unknown vault of such an id is 404 unknown_vault, never 200 or 500', async () => {
    for (const id of PROTOTYPE_IDS) {
      for (const [method, path] of [['GET', `vault/vaults/${id}/items`], ['PUT', `vault/vaults/${id}/items/x`], ['DELETE', `vault/vaults/${id}/items/x`], ['POST', `vault/vaults/${id}/lock`]] as const) {
        const res = await ctx.client.call(method, path, method === 'PUT' ? { name: 'x', type: 'custom' } : method === 'POST' ? {} : undefined);
        assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
        assert.equal(res.body?.error?.code, 'unknown_vault', `${method} ${path}: ${res.text}`);
      }
    }
  });

  it('vaults and items of such ids work like any other', async () => {
    for (const id of PROTOTYPE_IDS) {
      const vault = await ctx.client.createVault(`Vault ${id}`, id);
      const put = await ctx.client.putItem(vault, { id, name: `Item ${id}`, type: 'login', plain: { username: 'u' }, secret: { password: 'p' } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const list = await ctx.client.call('GET', `vault/vaults/${id}/items`);
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(list.body.map((i: { id: string }) => i.id), [id]);
      const gone = await ctx.client.call('DELETE', `vault/vaults/${id}/items/constructor${id === 'constructor' ? 'x' : ''}`);
      assert.equal(gone.status, 404, gone.text);
    }
    const vaults = await ctx.client.call('GET', 'vault/vaults');
    assert.deepEqual(vaults.body.map((v: { id: string }) => v.id).sort(), [...PROTOTYPE_IDS].sort());
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
  });
});
