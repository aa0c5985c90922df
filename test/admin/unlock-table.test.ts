import assert from 'node:assert/strict';
import { formatVsk, newVsk } from '../../credentials';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import type { TestVault } from '../helpers/vault-client';

describe('admin API: the unlock table, row by row', () => {
  const ctx = useNodeRed();
  let vault: TestVault;

  beforeEach(async () => {
    await helper.load([vaultNode, getItemNode], []);
    vault = await ctx.client.createVault('Production');
  });

  const unlockWith = (body: unknown, vaultId = vault.id) => ctx.client.call('POST', `vault/vaults/${vaultId}/unlock`, body);
  const expectError = (res: { status: number; body: any }, status: number, code: string) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error.code, code);
    assert.equal(typeof res.body.error.message, 'string');
    assert.ok(res.body.error.message.length > 10);
  };

  it('a body that is not JSON is 400 bad_request', async () => {
    expectError(await unlockWith('{"sealed":'), 400, 'bad_request');
  });

  it('a body without a sealed string is 400 bad_request', async () => {
    expectError(await unlockWith({ sealed: 42 }), 400, 'bad_request');
    expectError(await unlockWith([]), 400, 'bad_request');
  });

  it('a body over 4 KiB is 400 bad_request', async () => {
    expectError(await unlockWith({ sealed: 'A'.repeat(5000) }), 400, 'bad_request');
  });

  it('an unknown vault is 404 unknown_vault (before the seal is looked at)', async () => {
    expectError(await unlockWith({ sealed: 'garbage' }, 'no-such-vault'), 404, 'unknown_vault');
  });

  it('a box that does not open is 400 bad_seal', async () => {
    expectError(await unlockWith({ sealed: 'AAAA' }), 400, 'bad_seal');
  });

  it('a payload of the wrong shape is 400 bad_payload', async () => {
    expectError(await unlockWith({ sealed: await ctx.client.sealFor(vault.id, vault.vsk, { v: 2 as 1 }) }), 400, 'bad_payload');
  });

  it('a payload for another runtime is 400 wrong_runtime', async () => {
    expectError(await unlockWith({ sealed: await ctx.client.sealFor(vault.id, vault.vsk, { runtime: 'someone-else' }) }), 400, 'wrong_runtime');
  });

  it('a payload for another vault is 400 wrong_vault', async () => {
    expectError(await unlockWith({ sealed: await ctx.client.sealFor('other-vault', vault.vsk) }), 400, 'wrong_vault');
  });

  it('a payload older than 300 s is 400 expired, and so is one from the future', async () => {
    expectError(await unlockWith({ sealed: await ctx.client.sealFor(vault.id, vault.vsk, { iat: Date.now() - 301_000 }) }), 400, 'expired');
    expectError(await unlockWith({ sealed: await ctx.client.sealFor(vault.id, vault.vsk, { iat: Date.now() + 301_000 }) }), 400, 'expired');
  });

  it('a replayed request is 409 replay, even after it succeeded', async () => {
    const sealed = await ctx.client.sealFor(vault.id, vault.vsk);
    assert.equal((await unlockWith({ sealed })).status, 200);
    expectError(await unlockWith({ sealed }), 409, 'replay');
  });

  it('a secret that is not a VSK is 400 invalid_secret_format', async () => {
    expectError(await unlockWith({ sealed: await ctx.client.sealFor(vault.id, 'vsk1_short') }), 400, 'invalid_secret_format');
  });

  it('a wrong VSK is 422 wrong_secret; after 10 in a minute, 429 rate_limited even for the right one', async () => {
    for (let i = 0; i < 10; i++) {
      expectError(await ctx.client.unlock(vault, formatVsk(newVsk())), 422, 'wrong_secret');
    }
    expectError(await ctx.client.unlock(vault, formatVsk(newVsk())), 429, 'rate_limited');
    expectError(await ctx.client.unlock(vault), 429, 'rate_limited');
  });

  it('the right VSK is 200 and the vault shows unlocked; lock locks it', async () => {
    const res = await ctx.client.unlock(vault);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { vault: vault.id, unlocked: true });
    let list = await ctx.client.call('GET', 'vault/vaults');
    assert.equal(list.body.find((v: { id: string }) => v.id === vault.id).unlocked, true);
    assert.deepEqual((await ctx.client.lock(vault)).body, { vault: vault.id, unlocked: false });
    list = await ctx.client.call('GET', 'vault/vaults');
    assert.equal(list.body.find((v: { id: string }) => v.id === vault.id).unlocked, false);
  });
});
