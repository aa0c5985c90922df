import assert from 'node:assert/strict';
import { newId, sealFieldFormat1 } from '../../credentials';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import type { TestVault } from '../helpers/vault-client';

/** The wire side of destination binding: what a vault.write user without the VSK gets from PUT. */
describe('admin API: destination binding', () => {
  const ctx = useNodeRed();
  let vault: TestVault;
  beforeEach(async () => {
    await helper.load([vaultNode, getItemNode], []);
    vault = await ctx.client.createVault('Destinations');
  });
  const put = (id: string, body: unknown) => ctx.client.call('PUT', `vault/vaults/${vault.id}/items/${id}`, body);

  it('only tokenUrl changed, secret {}: 400 secrets_required naming the fields (message and `fields`), nothing written', async () => {
    const id = newId();
    const plain = { tokenUrl: 'https://auth.example.com/oauth/token', clientId: 'c1' };
    assert.equal((await ctx.client.putItem(vault, { id, name: 'API', type: 'oauth2-refresh', plain, secret: { clientSecret: 'cs', refreshToken: 'rt' } })).status, 200);
    const res = await put(id, { name: 'API', type: 'oauth2-refresh', plain: { ...plain, tokenUrl: 'https://evil.example/token' }, secret: {} });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'fields', 'message']);
    assert.equal(res.body.error.code, 'secrets_required');
    assert.deepEqual(res.body.error.fields, ['clientSecret', 'refreshToken']);
    assert.match(res.body.error.message, /needs clientSecret, refreshToken entered again/);
    const [item] = (await ctx.client.call('GET', `vault/vaults/${vault.id}/items`)).body;
    assert.equal(item.plain.tokenUrl, plain.tokenUrl);
    assert.equal(item.version, 1);
    // With the secrets typed again (sealed for the new destination), the same change is taken.
    const ok = await ctx.client.putItem(vault, { id, name: 'API', type: 'oauth2-refresh', plain: { ...plain, tokenUrl: 'https://other.example/token' }, secret: { clientSecret: 'cs2', refreshToken: 'rt2' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('a token URL that is not https (except to this machine) is 400 bad_request naming plain.tokenUrl', async () => {
    for (const tokenUrl of ['http://auth.example.com/token', 'ftp://auth.example.com/', 'http://10.0.0.1/token', 'http://127.0.0.1.evil.example/t']) {
      const res = await put(newId(), { name: 'API', type: 'oauth2-client', plain: { tokenUrl, clientId: 'c' } });
      assert.equal(res.status, 400, `${tokenUrl}: ${res.text}`);
      assert.equal(res.body.error.code, 'bad_request');
      assert.match(res.body.error.message, /plain\.tokenUrl/);
    }
    for (const tokenUrl of ['http://127.0.0.1:8080/token', 'http://localhost/token', 'http://[::1]:9/t', 'https://auth.example.com/t', 'tenant.eu.auth0.com']) {
      const res = await put(newId(), { name: 'API', type: 'oauth2-client', plain: { tokenUrl, clientId: 'c' } });
      assert.equal(res.status, 200, `${tokenUrl}: ${res.text}`);
    }
  });

  it('a secret field in format 1 is 400 bad_request: every writer writes format 2', async () => {
    const id = newId();
    const res = await put(id, { name: 'L', type: 'login', plain: { username: 'u' }, secret: { password: sealFieldFormat1(vault.publicKey, vault.id, id, 'password', 'p') } });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error.message, /secret\.password must be in field format 2/);
  });
});
