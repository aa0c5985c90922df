import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { VaultRuntime, formatVsk, newVsk, startConsolePrompt } from '../../../credentials';
import { addVaultTo } from '../../helpers/runtime-vault';
import { waitFor } from '../../helpers/wait';

/** A stand-in terminal: raw mode is recorded, typed text is pushed in. */
class FakeTty extends PassThrough {
  isTTY = true;
  raw: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.raw.push(mode);
    return this;
  }
}

describe('console prompt', () => {
  let dir: string;
  let runtime: VaultRuntime;
  let tty: FakeTty;
  let screen: string;
  let output: PassThrough;
  let stop: () => void;
  let vsk: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-prompt-'));
    runtime = await VaultRuntime.start(dir, { prompt: 'console', runtimeName: 'rt' });
    vsk = await addVaultTo(runtime, 'v1', 'Production');
    tty = new FakeTty();
    output = new PassThrough();
    screen = '';
    output.on('data', (d: Buffer) => (screen += d.toString()));
    stop = startConsolePrompt(runtime, { input: tty, output, maxAttempts: 3 });
  });
  afterEach(async () => {
    stop();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks once when a node needs a locked vault, with echo off, and unlocks with the typed key', async () => {
    runtime.requestUnlock('v1', 'node-1');
    runtime.requestUnlock('v1', 'node-2');
    await waitFor('the question', () => screen.includes('Vault Secret Key for "Production" (v1)'));
    assert.deepEqual(tty.raw, [true]);
    tty.write(`${vsk.slice(0, 10)}x\u007f${vsk.slice(10)}\r`); // a typo fixed with backspace
    await waitFor('the unlock', () => runtime.keyring.isUnlocked('v1'));
    assert.deepEqual(tty.raw, [true, false]);
    await waitFor('the confirmation', () => screen.includes('vault "Production" (v1) unlocked'));
    assert.equal(screen.match(/Vault Secret Key for/g)?.length, 1, 'one question for two requests');
    assert.ok(!screen.includes(vsk.slice(5, 20)), 'nothing typed is echoed');
  });

  it('asks again after a wrong key, at most maxAttempts times, and never shows a key', async () => {
    const wrong = formatVsk(newVsk());
    runtime.requestUnlock('v1', 'node-1');
    await waitFor('the question', () => screen.includes('Vault Secret Key for'));
    tty.write(`${wrong}\r`);
    await waitFor('a second question', () => (screen.match(/Vault Secret Key for/g)?.length ?? 0) === 2);
    assert.match(screen, /wrong_secret: .* Try again \(2 of 3\)\./);
    tty.write('not-a-key\r');
    await waitFor('a third question', () => (screen.match(/Vault Secret Key for/g)?.length ?? 0) === 3);
    assert.match(screen, /invalid_secret_format: /);
    tty.write(`${wrong}\r`);
    await waitFor('giving up', () => screen.includes('stays locked'));
    assert.equal(runtime.keyring.isUnlocked('v1'), false);
    assert.ok(!screen.includes(wrong.slice(5)) && !screen.includes('not-a-key'));
    // The prompt hears 'unlock-needed' before this test does and would say so at once (synchronously).
    const heard = once(runtime, 'unlock-needed');
    // Another node: the runtime itself asks at most once a while per vault and node.
    runtime.requestUnlock('v1', 'node-2');
    await heard;
    assert.equal(screen.match(/a flow needs vault/g)?.length, 1, 'quiet for a while after giving up');
    assert.equal(screen.match(/Vault Secret Key for/g)?.length, 3);
  });

  it('withdraws the question when the vault is unlocked elsewhere', async () => {
    runtime.requestUnlock('v1', 'node-1');
    await waitFor('the question', () => screen.includes('Vault Secret Key for'));
    await runtime.keyring.unlock('v1', vsk);
    await waitFor('the withdrawal', () => screen.includes('was unlocked elsewhere'));
    assert.deepEqual(tty.raw, [true, false]);
  });

  it('does nothing without prompt "console", and warns when stdin is no terminal', async () => {
    const warnings: string[] = [];
    const plain = new PassThrough();
    const dirs = [mkdtempSync(join(tmpdir(), 'nr-vault-prompt-')), mkdtempSync(join(tmpdir(), 'nr-vault-prompt-'))];
    const other = await VaultRuntime.start(dirs[0] ?? '', { prompt: 'console' });
    startConsolePrompt(other, { input: plain, output, warn: (m) => warnings.push(m) })();
    assert.match(warnings[0] ?? '', /stdin is not a terminal/);
    await other.close();
    const off = await VaultRuntime.start(dirs[1] ?? '', {});
    startConsolePrompt(off, { input: tty, output, warn: (m) => warnings.push(m) });
    const heard = once(off, 'unlock-needed');
    off.requestUnlock('v1', 'n');
    await heard; // a prompt would have heard it first, and asked at once
    assert.equal(warnings.length, 1);
    assert.deepEqual(tty.raw, []);
    await off.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
});
