import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatVsk, newVsk, sodiumReady } from '../../../credentials';
import { runCli, COMMANDS } from '../../../admin/cli/run-cli';
import { RuntimeApi } from '../../../admin/cli/runtime-api';
import { memoryIo, type MemoryIo } from '../../helpers/memory-io';
import { sealedPayload } from '../../helpers/vault-client';
import { MiniVaultServer } from '../../helpers/mini-vault-server';

const TOKEN = 'test-admin-token';

/** create-vault through the CLI; returns the vault id and its VSK as printed (once). */
async function createVault(url: string, io: MemoryIo, name: string): Promise<{ id: string; vsk: string }> {
  const code = await runCli(['create-vault', url, '--name', name], io);
  assert.equal(code, 0, io.all());
  const text = io.out.join('');
  const id = /\(id ([A-Za-z0-9_-]+)\)/.exec(text)?.[1];
  const vsks = text.match(/vsk1_[A-Za-z0-9_-]{43}/g) ?? [];
  assert.ok(id);
  assert.equal(vsks.length, 1, 'the VSK is printed exactly once');
  return { id, vsk: vsks[0] ?? '' };
}

describe('nr-vault command line', () => {
  let server: MiniVaultServer;
  before(async () => {
    await sodiumReady();
    server = await MiniVaultServer.start({ token: TOKEN, user: { name: 'admin', password: 'pw-1' }, name: 'line-1' });
  });
  after(async () => {
    await server.stop();
  });

  it('prints help for every command and exits 0', async () => {
    for (const c of COMMANDS) {
      const io = memoryIo();
      assert.equal(await runCli([c.name, '--help'], io), 0);
      assert.match(io.out.join(''), new RegExp(`^Usage: nr-vault ${c.name}`));
    }
    const io = memoryIo();
    assert.equal(await runCli(['--help'], io), 0);
    assert.match(io.out.join(''), /fleet/);
  });

  it('answers usage errors with code usage, a hint and exit 2', async () => {
    const cases: string[][] = [['nonsense'], ['unlock', server.url], ['unlock', server.url, 'extra', '--vault', 'x'], ['lock', server.url, '--vault']];
    for (const args of cases) {
      const io = memoryIo({ NR_VAULT_TOKEN: TOKEN });
      assert.equal(await runCli(args, io), 2, args.join(' '));
      assert.match(io.err.join(''), /^nr-vault: error: usage: .+\nhint: .+\n$/);
    }
  });

  it('runtime: shows id, name and fingerprint and pins it on first contact in a 0600 file', async () => {
    const io = memoryIo({ NR_VAULT_TOKEN: TOKEN });
    assert.equal(await runCli(['runtime', server.url], io), 0, io.all());
    const text = io.out.join('');
    assert.match(text, new RegExp(`id +${server.runtime.info.id}`));
    assert.match(text, /name +line-1/);
    assert.match(text, new RegExp(`fingerprint +${server.runtime.info.fingerprint}`));
    assert.match(text, /first contact/);
    const file = join(io.home, '.nr-vault', 'known_runtimes');
    assert.match(readFileSync(file, 'utf8'), new RegExp(`^${server.url} ${server.runtime.info.fingerprint} ${server.runtime.info.id}$`, 'm'));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = memoryIo({ NR_VAULT_TOKEN: TOKEN }, undefined, io.home);
    assert.equal(await runCli(['runtime', server.url, '--json'], again), 0);
    assert.equal(JSON.parse(again.out.join('')).pin, 'pinned');
  });

  it('refuses a runtime whose fingerprint changed, unless told to accept the new one', async () => {
    const io = memoryIo({ NR_VAULT_TOKEN: TOKEN });
    const file = join(io.home, 'pins');
    const old = 'A'.repeat(43);
    writeFileSync(file, `${server.url} ${old} someRuntime\n`);
    assert.equal(await runCli(['vaults', server.url, '--known-runtimes', file], io), 1);
    assert.match(io.err.join(''), new RegExp(`^nr-vault: error: fingerprint_changed: The runtime at ${server.url} shows fingerprint ${server.runtime.info.fingerprint}, but ${file} pins ${old}`));
    assert.match(io.err.join(''), /\nhint: .*--accept-new-fingerprint/);
    assert.equal(readFileSync(file, 'utf8'), `${server.url} ${old} someRuntime\n`, 'the pin is not changed');
    const accept = memoryIo({ NR_VAULT_TOKEN: TOKEN }, undefined, io.home);
    assert.equal(await runCli(['runtime', server.url, '--known-runtimes', file, '--accept-new-fingerprint'], accept), 0, accept.all());
    assert.match(accept.out.join(''), /changed; the new fingerprint was accepted/);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`^${server.url} ${server.runtime.info.fingerprint} `, 'm'));
  });

  it('create-vault, vaults, unlock (env, file, hidden prompt) and lock; the VSK appears only in create-vault output', async () => {
    const io = memoryIo({ NR_VAULT_TOKEN: TOKEN });
    const { id, vsk } = await createVault(server.url, io, 'Production');
    assert.equal(server.runtime.keyring.isUnlocked(id), false);

    const list = memoryIo({ NR_VAULT_TOKEN: TOKEN }, undefined, io.home);
    assert.equal(await runCli(['vaults', server.url], list), 0);
    assert.match(list.out.join(''), new RegExp(`${id} +locked +Production`));

    const viaEnv = memoryIo({ NR_VAULT_TOKEN: TOKEN, NR_VAULT_SECRET: vsk }, undefined, io.home);
    assert.equal(await runCli(['unlock', server.url, '--vault', 'Production'], viaEnv), 0, viaEnv.all());
    assert.match(viaEnv.out.join(''), /is unlocked on runtime line-1/);
    assert.equal(server.runtime.keyring.isUnlocked(id), true);

    const lock = memoryIo({ NR_VAULT_TOKEN: TOKEN }, undefined, io.home);
    assert.equal(await runCli(['lock', server.url, `--vault=${id}`], lock), 0, lock.all());
    assert.equal(server.runtime.keyring.isUnlocked(id), false);

    const secretFile = join(io.home, 'vsk.txt');
    writeFileSync(secretFile, `${vsk}\n`, { mode: 0o600 });
    const viaFile = memoryIo({ NR_VAULT_TOKEN: TOKEN }, undefined, io.home);
    assert.equal(await runCli(['unlock', server.url, `--vault=${id}`, '--secret-file', secretFile], viaFile), 0, viaFile.all());
    assert.equal(server.runtime.keyring.isUnlocked(id), true);
    server.runtime.keyring.lock(id);

    const viaPrompt = memoryIo({ NR_VAULT_TOKEN: TOKEN }, [vsk], io.home);
    assert.equal(await runCli(['unlock', server.url, `--vault=${id}`], viaPrompt), 0, viaPrompt.all());
    assert.match(viaPrompt.err.join(''), /Vault Secret Key for "[^"]+" \(input hidden\): /);
    assert.equal(server.runtime.keyring.isUnlocked(id), true);
    server.runtime.keyring.lock(id);

    for (const used of [list, viaEnv, lock, viaFile, viaPrompt]) assert.ok(!used.all().includes(vsk.slice(5)), 'no VSK in output');
  });

  it('reports a wrong VSK as wrong_secret without sending it, and never prints it', async () => {
    const io = memoryIo({ NR_VAULT_TOKEN: TOKEN });
    const { id } = await createVault(server.url, io, 'Staging');
    const canary = formatVsk(newVsk());
    const wrong = memoryIo({ NR_VAULT_TOKEN: TOKEN, NR_VAULT_SECRET: canary }, undefined, io.home);
    assert.equal(await runCli(['unlock', server.url, `--vault=${id}`], wrong), 1);
    assert.match(wrong.err.join(''), new RegExp(`^nr-vault: error: wrong_secret: That Vault Secret Key does not belong to vault "${id}"\\.\\nhint: `));
    assert.ok(!wrong.all().includes(canary.slice(5)));
    const malformed = memoryIo({ NR_VAULT_TOKEN: TOKEN, NR_VAULT_SECRET: 'vsk1_canary-not-a-key' }, undefined, io.home);
    assert.equal(await runCli(['unlock', server.url, `--vault=${id}`], malformed), 1);
    assert.match(malformed.err.join(''), /^nr-vault: error: invalid_secret_format: /);
    assert.ok(!malformed.all().includes('canary-not-a-key'));
    const none = memoryIo({ NR_VAULT_TOKEN: TOKEN }, undefined, io.home);
    assert.equal(await runCli(['unlock', server.url, `--vault=${id}`], none), 1);
    assert.match(none.err.join(''), /^nr-vault: error: no_secret: /);
  });

  it('logs in with --user and a password (hidden prompt or NR_VAULT_PASSWORD); a wrong one is auth_failed; no token is unauthorized', async () => {
    const prompted = memoryIo({}, ['pw-1']);
    assert.equal(await runCli(['vaults', server.url, '--user', 'admin'], prompted), 0, prompted.all());
    assert.match(prompted.err.join(''), /^Password for admin: $/);
    const env = memoryIo({ NR_VAULT_PASSWORD: 'pw-1' });
    assert.equal(await runCli(['vaults', server.url, '--user', 'admin'], env), 0, env.all());
    const wrong = memoryIo({ NR_VAULT_PASSWORD: 'canary-password' });
    assert.equal(await runCli(['vaults', server.url, '--user', 'admin'], wrong), 1);
    assert.match(wrong.err.join(''), /^nr-vault: error: auth_failed: .* refused the login of user "admin" with the permissions vault\.read\.\nhint: /);
    assert.ok(!wrong.all().includes('canary-password'));
    const anonymous = memoryIo();
    assert.equal(await runCli(['vaults', server.url], anonymous), 1);
    assert.match(anonymous.err.join(''), /^nr-vault: error: unauthorized: .*\nhint: .*--token/);
  });

  it('the runtime refuses a replayed sealed request with replay', async () => {
    const io = memoryIo({ NR_VAULT_TOKEN: TOKEN });
    const { id, vsk } = await createVault(server.url, io, 'Replay');
    const api = new RuntimeApi(new URL(server.url), { token: TOKEN, timeoutMs: 5000 });
    const runtime = await api.runtime();
    const sealed = sealedPayload(runtime, id, vsk);
    await api.unlock(id, sealed);
    await assert.rejects(api.unlock(id, sealed), (e: Error & { code?: string }) => e.code === 'replay');
  });
});
