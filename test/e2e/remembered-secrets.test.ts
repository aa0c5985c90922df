import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REMEMBERED_FILE, sodiumReady } from '../../credentials';
import { runCliProcess } from '../helpers/cli-process';
import { ADMIN, startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { fetchCall, VaultTestClient } from '../helpers/vault-client';

async function unlocked(red: NodeRedProcess, id: string): Promise<boolean> {
  const res = await fetch(`${red.url}vault/vaults`, { headers: { authorization: `Bearer ${await red.token(ADMIN)}` } });
  return ((await res.json()) as { id: string; unlocked: boolean }[]).find((v) => v.id === id)?.unlocked === true;
}

describe('remembered secrets: a real Node-RED restarted', function () {
  this.timeout(90_000);
  let red: NodeRedProcess | undefined;
  after(async () => {
    await red?.stop();
  });

  it('with rememberSecrets a vault unlocked by nr-vault is unlocked again after a restart; without it a restart leaves it locked', async () => {
    await sodiumReady();
    red = await startNodeRed({ users: [ADMIN], vault: { rememberSecrets: true } });
    const client = new VaultTestClient(fetchCall(red.url, await red.token(ADMIN)));
    const vault = await client.createVault('Production', 'remembered');
    const unlock = async (r: NodeRedProcess): Promise<void> => {
      const run = await runCliProcess(['unlock', r.url, '--vault', 'Production', '--token', await r.token(ADMIN), '--accept-new-fingerprint'], {
        NR_VAULT_SECRET: vault.vsk, NR_VAULT_KNOWN_RUNTIMES: join(r.userDir, 'cli-known-runtimes'),
      });
      assert.equal(run.code, 0, run.stdout + run.stderr);
    };
    await unlock(red);
    const file = join(red.userDir, REMEMBERED_FILE);
    assert.ok(existsSync(file));
    assert.ok(!readFileSync(file, 'utf8').includes(vault.vsk.slice(5)));

    red = await red.restart({ vault: { rememberSecrets: true } });
    assert.equal(await unlocked(red, vault.id), true, 'unlocked again after the restart');

    red = await red.restart({ vault: {} });
    assert.equal(await unlocked(red, vault.id), false, 'setting off: locked after the restart');
    assert.equal(existsSync(file), false, 'and the remembered secret is deleted');
    assert.match(red.log, /rememberSecrets is off/);

    await unlock(red);
    red = await red.restart({ vault: {} });
    assert.equal(await unlocked(red, vault.id), false, 'never remembered without the setting');
    assert.ok(!red.log.includes(vault.vsk.slice(5)));
  });
});
