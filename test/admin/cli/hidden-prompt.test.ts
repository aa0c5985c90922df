import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sodiumReady } from '../../../credentials';
import { MiniVaultServer } from '../../helpers/mini-vault-server';
import { addVaultTo } from '../../helpers/runtime-vault';
import { waitFor } from '../../helpers/wait';

const MAIN = resolve(__dirname, '..', '..', '..', 'admin', 'cli', 'main.js');

describe('nr-vault unlock on a terminal (pseudo-terminal)', function () {
  this.timeout(30_000);
  let server: MiniVaultServer;
  let home: string;
  before(async () => {
    await sodiumReady();
    server = await MiniVaultServer.start({ token: 'tty-token', name: 'tty' });
    home = mkdtempSync(join(tmpdir(), 'nr-vault-tty-'));
  });
  after(async () => {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('asks for the VSK with echo off and unlocks', async () => {
    const vsk = await addVaultTo(server.runtime, 'ttyvault', 'Prod');
    const child = spawn('python3', ['-c', 'import pty, sys; pty.spawn(sys.argv[1:])', process.execPath, MAIN,
      'unlock', server.url, '--vault', 'Prod', '--token', 'tty-token', '--known-runtimes', join(home, 'known')], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let screen = '';
    child.stdout?.on('data', (d: Buffer) => (screen += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await waitFor('the question', () => screen.includes('Vault Secret Key for "Prod" (input hidden): '), 15_000);
      child.stdin?.write(`${vsk}\r`);
      assert.equal(await exited, 0, screen);
      assert.match(screen, /Vault "Prod" \(ttyvault\) is unlocked on runtime tty/);
      assert.ok(!screen.includes(vsk.slice(5)), 'the key is not echoed');
      assert.equal(server.runtime.keyring.isUnlocked('ttyvault'), true);
    } finally {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    }
  });
});
