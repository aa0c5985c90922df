import assert from 'node:assert/strict';
import { VaultApi, VaultApiError, newId, newVaultRecord, sealItemWrite, sealUnlock } from '../../credentials';
import { runningVaultRuntime } from '../../nodes/runtime';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import { callTransport } from '../helpers/vault-client';

/** credentials/client against the real admin routes: what the CLI and the editor do, end to end. */
describe('admin API through credentials/client (VaultApi, newVaultRecord, sealItemWrite, sealUnlock)', () => {
  const ctx = useNodeRed();

  beforeEach(() => helper.load([vaultNode, getItemNode], []));

  it('creates a vault, writes a sealed item, unlocks with a sealed key; the runtime reads the value', async () => {
    const api = new VaultApi(callTransport(ctx.client.call));
    const runtime = await api.runtime();
    const { record, vsk } = newVaultRecord('Client');
    const created = await api.createVault(record);
    assert.equal(created.id, record.id);
    const itemId = newId();
    const meta = await api.putItem(record.id, itemId, sealItemWrite(created, itemId, {
      name: 'Router', type: 'login', plain: { username: 'admin' }, secret: { password: 'canary-client-4410' },
    }));
    assert.equal(meta.status, 'ready');
    assert.deepEqual((await api.items(record.id)).map((i) => [i.id, i.secretFields]), [[itemId, ['password']]]);

    const listed = (await api.vaults()).find((v) => v.id === record.id)!;
    assert.equal(listed.unlocked, false);
    await api.unlock(record.id, sealUnlock(runtime, listed, vsk).sealed);
    assert.equal((await api.vaults()).find((v) => v.id === record.id)!.unlocked, true);
    const rt = await runningVaultRuntime(ctx.userDir);
    assert.equal((await rt.keyring.getItem(record.id, itemId)).fields.password, 'canary-client-4410');

    await api.lock(record.id);
    await api.deleteItem(record.id, itemId);
    assert.deepEqual(await api.items(record.id), []);
  });

  it('a refusal comes back as the runtime\'s code and message', async () => {
    const api = new VaultApi(callTransport(ctx.client.call));
    const { record } = newVaultRecord('Twice');
    await api.createVault(record);
    await assert.rejects(api.createVault(record), (e: unknown) => e instanceof VaultApiError && e.code === 'exists' && e.status === 409 && e.fromRuntime);
    await assert.rejects(api.unlock(record.id, 'not-sealed'), (e: unknown) => e instanceof VaultApiError && e.code === 'bad_seal' && e.status === 400);
  });
});
