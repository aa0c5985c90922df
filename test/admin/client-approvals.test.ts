import assert from 'node:assert/strict';
import { ApprovalChecker, VaultApi, newRuntimeKeys, newVaultRecord, parseVsk, signApproval, toB64, wipe } from '../../credentials';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import { callTransport } from '../helpers/vault-client';

/** credentials/client's approvals against the real routes: what the editor's unlock dialog and a Runtimes page do. */
describe('runtime approvals through credentials/client (proveIdentity, signApproval, ApprovalChecker)', () => {
  const ctx = useNodeRed();

  beforeEach(() => helper.load([vaultNode, getItemNode], []));

  it('proves the identity, approves this runtime, and checks its approval before sealing', async () => {
    const api = new VaultApi(callTransport(ctx.client.call));
    const runtime = await api.runtime();
    await api.proveIdentity(runtime);
    const { record, vsk } = newVaultRecord('Approved');
    const vault = await api.createVault(record);
    const key = parseVsk(vsk);
    try {
      const checker = new ApprovalChecker(key, vault);
      const self = { id: runtime.id, publicKey: toB64(runtime.publicKey) };
      assert.equal(checker.approves(await api.approvals(vault.id, runtime.id), self), false, 'not approved yet');
      await api.putApproval(signApproval(key, vault, runtime));
      assert.equal(checker.approves(await api.approvals(vault.id, runtime.id), self), true);
      // The same approval says nothing about another key under this runtime's id.
      assert.equal(checker.approves(await api.approvals(vault.id), { ...self, publicKey: toB64(newRuntimeKeys().publicKey) }), false);
      await api.deleteApproval(vault.id, runtime.id);
      assert.deepEqual(await api.approvals(vault.id), []);
    } finally {
      wipe(key);
    }
  });

  it('a server that does not hold the announced key fails the proof with fingerprint_mismatch', async () => {
    const api = new VaultApi(callTransport(ctx.client.call));
    const runtime = await api.runtime();
    const other = newRuntimeKeys();
    await assert.rejects(api.proveIdentity({ id: runtime.id, publicKey: other.publicKey }), (e: Error & { code?: string }) => e.code === 'bad_seal' || e.code === 'fingerprint_mismatch');
    await assert.rejects(api.proveIdentity({ id: 'someone-else', publicKey: runtime.publicKey }), (e: Error & { code?: string }) => e.code === 'fingerprint_mismatch');
  });
});
