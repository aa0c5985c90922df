import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REMEMBERED_FILE, VaultRuntime, sodiumReady } from '../../credentials';
import { addVaultTo } from '../helpers/runtime-vault';

describe('remembered secrets (vault.rememberSecrets)', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    await sodiumReady();
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-remember-'));
    file = join(dir, REMEMBERED_FILE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps an unlocked VSK sealed (0600, no key in clear) and unlocks it again after a restart', async () => {
    let rt = await VaultRuntime.start(dir, { rememberSecrets: true });
    const vsk = await addVaultTo(rt, 'v1', 'Production');
    await addVaultTo(rt, 'v2', 'Other');
    await rt.keyring.unlock('v1', vsk);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(vsk.slice(5)), 'the VSK is not in the file in clear');
    assert.deepEqual(Object.keys((JSON.parse(text) as { vaults: object }).vaults), ['v1']);
    await rt.close(); // shutting down locks in memory but does not forget
    assert.ok(existsSync(file));
    rt = await VaultRuntime.start(dir, { rememberSecrets: true });
    assert.equal(rt.keyring.isUnlocked('v1'), true);
    assert.equal(rt.keyring.isUnlocked('v2'), false);
    rt.keyring.lock('v1'); // locking forgets
    assert.equal(existsSync(file), false);
    await rt.close();
    rt = await VaultRuntime.start(dir, { rememberSecrets: true });
    assert.equal(rt.keyring.isUnlocked('v1'), false);
    await rt.close();
  });

  it('is off by default: a restart leaves the vault locked, and a file left from before is deleted', async () => {
    let rt = await VaultRuntime.start(dir, { rememberSecrets: true });
    const vsk = await addVaultTo(rt, 'v1', 'Production');
    await rt.keyring.unlock('v1', vsk);
    await rt.close();
    const warnings: string[] = [];
    rt = await VaultRuntime.start(dir, {}, { warn: (m) => warnings.push(m) });
    assert.equal(rt.keyring.isUnlocked('v1'), false);
    assert.equal(existsSync(file), false);
    assert.match(warnings[0] ?? '', /rememberSecrets is off/);
    await rt.keyring.unlock('v1', vsk);
    assert.equal(existsSync(file), false, 'nothing is written when off');
    await rt.close();
  });

  it('a remembered secret that does not open (another runtime key, tampering) is dropped with a warning naming no key', async () => {
    let rt = await VaultRuntime.start(dir, { rememberSecrets: true });
    const vsk = await addVaultTo(rt, 'v1', 'Production');
    await rt.keyring.unlock('v1', vsk);
    await rt.close();
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { format: 1; vaults: Record<string, string> };
    const sealed = parsed.vaults.v1 ?? '';
    parsed.vaults.v1 = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}`;
    writeFileSync(file, JSON.stringify(parsed));
    const warnings: string[] = [];
    rt = await VaultRuntime.start(dir, { rememberSecrets: true }, { warn: (m) => warnings.push(m) });
    assert.equal(rt.keyring.isUnlocked('v1'), false);
    assert.match(warnings.join('\n'), /remembered secret of vault "v1" was not used \(tampered\)/);
    assert.ok(!warnings.join('\n').includes(vsk.slice(5)));
    assert.equal(existsSync(file), false);
    await rt.close();
  });
});
