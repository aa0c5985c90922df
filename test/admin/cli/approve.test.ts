import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApprovalChecker, deriveVaultKeyPair, formatVsk, newShare, newVsk, sodiumReady, toB64, wipe,
} from '../../../credentials';
import { runCli } from '../../../admin/cli/run-cli';
import { memoryIo } from '../../helpers/memory-io';
import { MiniVaultServer } from '../../helpers/mini-vault-server';

const TOKEN = 'approve-token';

describe('nr-vault approve, and approvals recorded by unlock and fleet FILE', () => {
  let server: MiniVaultServer;
  let key: Uint8Array;
  let share: string;
  const vaultId = 'vault-approve';

  before(async () => {
    await sodiumReady();
    server = await MiniVaultServer.start({ token: TOKEN, name: 'line-a' });
    key = newVsk();
    const s = newShare();
    share = toB64(s);
    const keys = deriveVaultKeyPair(key, s, vaultId);
    wipe(keys.secretKey);
    await server.runtime.store.createVault({ id: vaultId, name: 'Approved', share, publicKey: toB64(keys.publicKey), createdAt: new Date().toISOString() });
  });
  after(() => server.stop());
  afterEach(async () => {
    await server.runtime.store.deleteApproval(vaultId, server.runtime.info.id);
    server.runtime.keyring.lock(vaultId);
  });

  /** Whether the runtime's store holds an approval of its own key that verifies with the vault's signing key. */
  const approved = async (): Promise<boolean> => {
    const info = server.runtime.info;
    return new ApprovalChecker(key, { id: vaultId, share }).approves(await server.runtime.store.listApprovals({ vault: vaultId }), { id: info.id, publicKey: info.publicKey });
  };
  const env = () => ({ NR_VAULT_TOKEN: TOKEN, NR_VAULT_SECRET: formatVsk(key) });

  it('shows the fingerprint and approves only after a typed "yes"', async () => {
    const no = memoryIo(env(), ['no']);
    assert.equal(await runCli(['approve', server.url, '--vault', 'Approved'], no), 130, no.all());
    assert.match(no.err.join(''), new RegExp(`fingerprint ${server.runtime.info.fingerprint}\\n`));
    assert.equal(await approved(), false);
    const yes = memoryIo(env(), ['yes']);
    assert.equal(await runCli(['approve', server.url, '--vault', 'Approved'], yes), 0, yes.all());
    assert.match(yes.out.join(''), /is approved for vault "Approved"/);
    assert.equal(await approved(), true);
    const revoke = memoryIo(env(), undefined, yes.home);
    assert.equal(await runCli(['approve', server.url, '--vault', 'Approved', '--revoke'], revoke), 0, revoke.all());
    assert.equal(await approved(), false);
  });

  it('a wrong key approves nothing (wrong_secret), and is never printed', async () => {
    const canary = formatVsk(newVsk());
    const io = memoryIo({ NR_VAULT_TOKEN: TOKEN, NR_VAULT_SECRET: canary });
    assert.equal(await runCli(['approve', server.url, '--vault', 'Approved', `--fingerprint=${server.runtime.info.fingerprint}`], io), 1);
    assert.match(io.err.join(''), /^nr-vault: error: wrong_secret: /);
    assert.ok(!io.all().includes(canary.slice(5)));
    assert.equal(await approved(), false);
  });

  it('unlock on first contact does not approve; unlock of the pinned runtime does', async () => {
    const first = memoryIo(env());
    assert.equal(await runCli(['unlock', server.url, '--vault', 'Approved'], first), 0, first.all());
    assert.match(first.out.join(''), /Not approved for fleet --from-store/);
    assert.equal(await approved(), false);
    server.runtime.keyring.lock(vaultId);
    const again = memoryIo(env(), undefined, first.home);
    assert.equal(await runCli(['unlock', server.url, '--vault', 'Approved'], again), 0, again.all());
    assert.match(again.out.join(''), /is now approved for this vault/);
    assert.equal(await approved(), true);
  });

  it('fleet FILE approves a runtime whose fingerprint the file pins', async () => {
    const io = memoryIo(env());
    writeFileSync(join(io.home, 'fleet.json'), JSON.stringify({ runtimes: [{ name: 'a', url: server.url, fingerprint: server.runtime.info.fingerprint }] }));
    assert.equal(await runCli(['fleet', 'fleet.json', '--vault', 'Approved'], io), 0, io.all());
    assert.match(io.out.join(''), /^ok +a .* unlocked \(\d+ ms\); approved$/m);
    assert.equal(await approved(), true);
  });
});
