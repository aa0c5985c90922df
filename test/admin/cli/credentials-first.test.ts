import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatVsk, newVsk, sodiumReady } from '../../../credentials';
import { runCli } from '../../../admin/cli/run-cli';
import { memoryIo } from '../../helpers/memory-io';
import { MiniVaultServer } from '../../helpers/mini-vault-server';
import { RecordingServer } from '../../helpers/recording-server';

const TOKEN = 'credentials-first-token';
const PASSWORD = 'canary-admin-password-7';

/** Medium 8 of issue 11 and the CLI's Low items: the runtime is checked before any credential goes to it. */
describe('nr-vault sends credentials only to a runtime that proved its identity', () => {
  let server: MiniVaultServer;
  before(async () => {
    await sodiumReady();
    server = await MiniVaultServer.start({ token: TOKEN, user: { name: 'admin', password: PASSWORD }, name: 'line-1' });
  });
  after(() => server.stop());
  beforeEach(() => {
    server.logins.length = 0;
    server.credentialed.length = 0;
  });

  it('a pinned fingerprint that does not match: refused before the password or the token is sent', async () => {
    for (const env of [{ NR_VAULT_PASSWORD: PASSWORD }, { NR_VAULT_TOKEN: TOKEN }]) {
      const io = memoryIo({ ...env, NR_VAULT_SECRET: formatVsk(newVsk()) });
      const pins = join(io.home, 'pins');
      writeFileSync(pins, `${server.url} ${'C'.repeat(43)} someone\n`, { mode: 0o600 });
      const args = ['unlock', server.url, '--vault', 'x', '--known-runtimes', pins, ...('NR_VAULT_PASSWORD' in env ? ['--user', 'admin'] : [])];
      assert.equal(await runCli(args, io), 1, io.all());
      assert.match(io.err.join(''), /^nr-vault: error: fingerprint_changed: /);
      assert.deepEqual(server.credentialed, [], 'nothing carried credentials');
    }
  });

  it('a server that copies the runtime\'s public identity but lacks its key gets no password or token', async () => {
    const identity = server.runtime.info;
    const impostor = await RecordingServer.start((req) => (req.url === '/vault/runtime'
      ? { status: 200, body: identity }
      : { status: 200, body: { proof: 'A'.repeat(43), access_token: 'x' } }));
    try {
      for (const env of [{ NR_VAULT_PASSWORD: PASSWORD }, { NR_VAULT_TOKEN: TOKEN }]) {
        const io = memoryIo(env);
        // Even with the right pin: the identity is public, the proof is what counts.
        const pins = join(io.home, 'pins');
        writeFileSync(pins, `${impostor.url} ${identity.fingerprint} ${identity.id}\n`, { mode: 0o600 });
        const args = ['vaults', impostor.url, '--known-runtimes', pins, ...('NR_VAULT_PASSWORD' in env ? ['--user', 'admin'] : [])];
        assert.equal(await runCli(args, io), 1, io.all());
        assert.match(io.err.join(''), /^nr-vault: error: fingerprint_mismatch: The server at .* does not hold its key: nothing was sent to it\./);
      }
      assert.deepEqual(impostor.credentialed(), []);
      assert.ok(!impostor.requests.some((r) => r.body.includes(PASSWORD) || r.body.includes(TOKEN)));
    } finally {
      await impostor.stop();
    }
  });

  it('a runtime that answers its identity only with credentials (0.1.0) is refused, not sent them', async () => {
    const old = await RecordingServer.start(() => ({ status: 401, body: {} }));
    try {
      const io = memoryIo({ NR_VAULT_PASSWORD: PASSWORD });
      assert.equal(await runCli(['vaults', old.url, '--user', 'admin'], io), 1);
      assert.match(io.err.join(''), /^nr-vault: error: protocol_mismatch: .* does not prove its identity without credentials/);
      assert.deepEqual(old.credentialed(), []);
    } finally {
      await old.stop();
    }
  });

  it('--user asks only for the scopes the command needs, never "*"', async () => {
    const io = memoryIo({ NR_VAULT_PASSWORD: PASSWORD });
    const run = async (args: string[]) => assert.equal(await runCli([...args, '--user', 'admin'], memoryIo({ NR_VAULT_PASSWORD: PASSWORD, NR_VAULT_SECRET: vsk }, undefined, io.home)), 0);
    const vsk = formatVsk(newVsk());
    assert.equal(await runCli(['runtime', server.url, '--user', 'admin'], io), 0, io.all());
    assert.deepEqual(server.logins, [], 'runtime sends no credentials at all');
    const created = memoryIo({ NR_VAULT_PASSWORD: PASSWORD }, undefined, io.home);
    assert.equal(await runCli(['create-vault', server.url, '--name', 'Scopes', '--user', 'admin'], created), 0, created.all());
    const id = /\(id ([A-Za-z0-9_-]+)\)/.exec(created.out.join(''))?.[1] ?? '';
    const key = /vsk1_[A-Za-z0-9_-]{43}/.exec(created.out.join(''))?.[0] ?? '';
    await run(['vaults', server.url]);
    const unlock = memoryIo({ NR_VAULT_PASSWORD: PASSWORD, NR_VAULT_SECRET: key }, undefined, io.home);
    assert.equal(await runCli(['unlock', server.url, `--vault=${id}`, '--user', 'admin'], unlock), 0, unlock.all());
    await run(['lock', server.url, `--vault=${id}`]);
    assert.deepEqual(server.logins, ['vault.write', 'vault.read', 'vault.read vault.unlock', 'vault.read vault.unlock']);
  });

  it('--token warns that the process list shows it; --token-file reads a private file', async () => {
    const io = memoryIo();
    assert.equal(await runCli(['vaults', server.url, '--token', TOKEN], io), 0, io.all());
    assert.match(io.err.join(''), /^warning: --token is visible to every local user in the process list; use --token-file FILE or NR_VAULT_TOKEN\.\n/);
    const file = join(io.home, 'token');
    writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    const viaFile = memoryIo({}, undefined, io.home);
    assert.equal(await runCli(['vaults', server.url, '--token-file', file], viaFile), 0, viaFile.all());
    assert.equal(viaFile.err.join(''), '');
    chmodSync(file, 0o644);
    const open = memoryIo({}, undefined, io.home);
    assert.equal(await runCli(['vaults', server.url, '--token-file', file], open), 1);
    assert.match(open.err.join(''), /^nr-vault: error: file_unsafe: The token file .* can be read by every user of this machine \(mode 644\)/);
    assert.ok(!open.all().includes(TOKEN));
  });

  it('a world-readable --secret-file is refused without being read out; a group-readable one is used with a warning', async () => {
    const io = memoryIo({ NR_VAULT_TOKEN: TOKEN });
    const canary = formatVsk(newVsk());
    const file = join(io.home, 'vsk.txt');
    writeFileSync(file, `${canary}\n`);
    chmodSync(file, 0o644);
    assert.equal(await runCli(['unlock', server.url, '--vault', 'x', '--secret-file', file], io), 1);
    assert.match(io.err.join(''), /^nr-vault: error: file_unsafe: The secret file .* can be read by every user of this machine \(mode 644\): make it private with chmod 600 /);
    assert.ok(!io.all().includes(canary.slice(5)));
    chmodSync(file, 0o640);
    const group = memoryIo({ NR_VAULT_TOKEN: TOKEN }, undefined, io.home);
    assert.equal(await runCli(['unlock', server.url, '--vault', 'x', '--secret-file', file], group), 1);
    assert.match(group.err.join(''), /^warning: the secret file .* can be read by its group \(mode 640\)/);
    assert.match(group.err.join(''), /unknown_vault/, 'the key was read and the command went on');
  });
});
