import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatVsk, newVaultRecord, newVsk, sodiumReady } from '../../../credentials';
import { runCli } from '../../../admin/cli/run-cli';
import { memoryIo } from '../../helpers/memory-io';
import { MiniVaultServer } from '../../helpers/mini-vault-server';

/** The same vault record (id, share, public key) created in a runtime's own store. */
async function addVault(server: MiniVaultServer, id: string, name: string, vsk: Uint8Array): Promise<void> {
  await server.runtime.store.createVault({ ...newVaultRecord(name, id, vsk).record, createdAt: new Date().toISOString() });
}

describe('nr-vault fleet (against VaultRuntimes behind minimal servers)', () => {
  const servers: MiniVaultServer[] = [];
  let key: Uint8Array;
  before(async () => {
    await sodiumReady();
    key = newVsk();
    for (let i = 1; i <= 3; i++) servers.push(await MiniVaultServer.start({ token: `token-${i}`, name: `line-${i}` }));
    for (const s of servers) await addVault(s, 'prod-vault', 'Production', key);
  });
  after(async () => {
    for (const s of servers) await s.stop();
  });

  it('unlocks every runtime of a fleet file in parallel, one line each and a summary', async () => {
    const io = memoryIo({ NR_VAULT_SECRET: formatVsk(key), T1: 'token-1', T2: 'token-2' });
    writeFileSync(join(io.home, 'token-3'), 'token-3\n', { mode: 0o600 });
    writeFileSync(join(io.home, 'fleet.json'), JSON.stringify({ runtimes: [
      { name: 'one', url: servers[0]?.url, tokenEnv: 'T1', fingerprint: servers[0]?.runtime.info.fingerprint },
      { name: 'two', url: servers[1]?.url, tokenEnv: 'T2' },
      { name: 'three', url: servers[2]?.url, tokenFile: 'token-3' },
    ] }));
    const code = await runCli(['fleet', 'fleet.json', '--vault', 'Production'], io);
    assert.equal(code, 0, io.all());
    const lines = io.out.join('').trim().split('\n');
    assert.equal(lines.length, 4);
    for (const name of ['one', 'two', 'three']) assert.ok(lines.some((l) => new RegExp(`^ok +${name} +http.* vault "Production" \\(prod-vault\\) unlocked`).test(l)), lines.join('\n'));
    assert.match(lines[3] ?? '', /^fleet: 3 runtimes, 3 unlocked, 0 failed, in \d+\.\d\d s$/);
    for (const s of servers) assert.equal(s.runtime.keyring.isUnlocked('prod-vault'), true);
    assert.ok(!io.all().includes(formatVsk(key).slice(5)));
    for (const s of servers) s.runtime.keyring.lock('prod-vault');
  });

  it('reports each failure on its own line (pin, wrong key, token) and exits 1', async () => {
    const other = await MiniVaultServer.start({ token: 'token-4', name: 'line-4' });
    servers.push(other);
    await addVault(other, 'prod-vault', 'Production', newVsk()); // same name, another key
    const io = memoryIo({ NR_VAULT_SECRET: formatVsk(key), NR_VAULT_TOKEN: 'token-1' });
    writeFileSync(join(io.home, 'fleet.json'), JSON.stringify({ runtimes: [
      { name: 'good', url: servers[0]?.url },
      { name: 'moved', url: servers[1]?.url, fingerprint: 'B'.repeat(43) },
      { name: 'no-token', url: servers[2]?.url },
      { name: 'other-key', url: other.url, tokenFile: 'missing' },
    ] }));
    let code = await runCli(['fleet', 'fleet.json', '--vault', 'Production'], io);
    assert.equal(code, 1);
    assert.match(io.err.join(''), /^nr-vault: error: fleet_file_invalid: runtime 4 of fleet.json: the token file missing cannot be read\.\nhint: /);

    writeFileSync(join(io.home, 'token-4'), 'token-4', { mode: 0o600 });
    writeFileSync(join(io.home, 'fleet.json'), JSON.stringify({ runtimes: [
      { name: 'good', url: servers[0]?.url },
      { name: 'moved', url: servers[1]?.url, fingerprint: 'B'.repeat(43), tokenEnv: 'T2' },
      { name: 'no-token', url: servers[2]?.url },
      { name: 'other-key', url: other.url, tokenFile: 'token-4' },
    ] }));
    const run = memoryIo({ NR_VAULT_SECRET: formatVsk(key), NR_VAULT_TOKEN: 'token-1', T2: 'token-2' }, undefined, io.home);
    code = await runCli(['fleet', 'fleet.json', '--vault', 'Production', '--concurrency', '2'], run);
    assert.equal(code, 1, run.all());
    const out = run.out.join('');
    assert.match(out, /^ok +good /m);
    assert.match(out, /^FAILED +moved +\S+ +fingerprint_changed: .* the fleet file pins B{43}\.$/m);
    assert.match(out, /^FAILED +no-token +\S+ +unauthorized: /m);
    assert.match(out, /^FAILED +other-key +\S+ +wrong_secret: /m);
    assert.match(out, /^fleet: 4 runtimes, 1 unlocked, 3 failed/m);
    assert.match(run.err.join(''), /^hint: fingerprint_changed: /m);
    assert.equal(servers[1]?.runtime.keyring.isUnlocked('prod-vault'), false);
    assert.equal(other.runtime.keyring.isUnlocked('prod-vault'), false);
  });
});
