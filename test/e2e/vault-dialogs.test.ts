import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { fromB64, sodiumReady } from '../../credentials';
import { launchChromium } from '../helpers/browser';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { fetchCall, VaultTestClient, type TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

// Ids of the example flow that `npm start` puts in place (examples/Get Item.json).
const VAULT_CONFIG = 'c1a0e5d2b7f34a10';
const GET_ITEM = 'c1a0e5d2b7f34a03';
const INJECT = 'c1a0e5d2b7f34a02';
const CANARY = 'canary-e2e-7d41a0-password';
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">Mail';

/** Every file under dir, as text (to prove a value is nowhere in the user directory). */
function allText(dir: string): string {
  return readdirSync(dir).map((name) => {
    const p = join(dir, name);
    if (name === 'node_modules') return '';
    // A store's temporary file may be renamed into place between the listing and the read;
    // its content is then read under the file's real name, which was listed too.
    const kind = statSync(p, { throwIfNoEntry: false });
    if (!kind) return '';
    return kind.isDirectory() ? allText(p) : readFileSync(p, 'latin1');
  }).join('\n');
}

describe('editor: vault and Get Item dialogs in a real Node-RED and Chromium', function () {
  this.timeout(120_000);
  let userDir: string;
  let run: NodeRedProcess;
  let base: string;
  let browser: Browser;
  let page: Page;
  let vsk = '';
  let vaultId = '';
  const sentBodies: string[] = [];

  before(async () => {
    await sodiumReady();
    userDir = mkdtempSync(join(tmpdir(), 'nr-vault-e2e-'));
    run = await startNodeRed({ script: 'npm-start', userDir });
    base = run.url;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('request', (r) => { const b = r.postData(); if (b) sentBodies.push(b); });
    await page.goto(base);
    await page.waitForFunction((id) => !!(globalThis as any).RED?.nodes?.node(id), GET_ITEM, { timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await run?.stop();
    rmSync(userDir, { recursive: true, force: true });
  });

  it('creates a vault from its configuration node with the Vault page\'s dialog and shows its Vault Secret Key once', async () => {
    await page.evaluate((id) => (globalThis as any).RED.editor.editConfig('', 'vault', id), VAULT_CONFIG);
    await page.click('#node-config-vault-new');
    // The Vault page's create dialog, over the configuration node's dialog; the name starts as the node's.
    assert.equal(await page.inputValue('#nr-vault-new-vault-name'), await page.inputValue('#node-config-input-name'));
    await page.fill('#nr-vault-new-vault-name', 'E2E vault');
    await page.click('#nr-vault-create-vault');
    vsk = ((await page.textContent('#nr-vault-vsk')) ?? '').trim();
    assert.match(vsk, /^vsk1_[A-Za-z0-9_-]{43}$/);
    assert.ok(await page.isVisible('.nr-vault-dialog p:has-text("Nobody can recover it")'));
    assert.ok(await page.isVisible('#nr-vault-vsk-copy') && await page.isVisible('#nr-vault-vsk-download'));
    // It closes only once the person says the key is saved; then the node points at the new vault.
    await page.click('#nr-vault-vsk-done');
    await page.waitForSelector('.nr-vault-dialog .nr-vault-error:not([hidden])');
    await page.check('#nr-vault-vsk-saved');
    await page.click('#nr-vault-vsk-done');
    await page.waitForSelector('#nr-vault-vsk', { state: 'detached' });
    await page.waitForFunction(() => /^[A-Za-z0-9_-]+$/.test((globalThis as any).document.querySelector('#node-config-input-vaultId')?.value ?? ''));
    vaultId = await page.inputValue('#node-config-input-vaultId');
    const vaults = await (await fetch(`${base}vault/vaults`)).json() as { id: string; name: string }[];
    assert.deepEqual(vaults.map((v) => [v.id, v.name]), [[vaultId, 'E2E vault']]);
    assert.equal(await page.inputValue('#node-config-vault-existing'), vaultId);
    await page.click('#node-config-dialog-ok');
    await page.waitForSelector('#node-config-input-vaultId', { state: 'detached' });
    assert.equal(await page.evaluate((id) => (globalThis as any).RED.nodes.node(id).vaultId, VAULT_CONFIG), vaultId);
  });

  it('the VSK made in the browser unlocks the vault, and it never left the browser', async () => {
    const client = new VaultTestClient(fetchCall(base));
    const vault: TestVault = { id: vaultId, name: 'E2E vault', vsk, publicKey: new Uint8Array() };
    assert.equal((await client.unlock(vault)).status, 200);
    assert.ok(!sentBodies.some((b) => b.includes(vsk)), 'a request carried the VSK');
    assert.ok(!run.log.includes(vsk));
    assert.ok(!allText(userDir).includes(vsk));
  });

  it('Get Item lists the vault\'s items as text, picks one field; the deployed flow reads it, masked in the debug sidebar', async () => {
    const client = new VaultTestClient(fetchCall(base));
    const vaults = await (await fetch(`${base}vault/vaults`)).json() as { id: string; publicKey: string }[];
    const vault: TestVault = { id: vaultId, name: 'E2E vault', vsk, publicKey: fromB64(vaults[0].publicKey, 32)! };
    const login = await client.putItem(vault, { name: 'Web login', type: 'login', plain: { username: 'ada' }, secret: { password: CANARY } });
    assert.equal(login.status, 200);
    assert.equal((await client.putItem(vault, { name: HOSTILE_NAME, type: 'smtp' })).status, 200);

    await page.evaluate((id) => { const RED = (globalThis as any).RED; RED.editor.edit(RED.nodes.node(id)); }, GET_ITEM);
    // The item dropdown is the shared connection selector (nodes/editor/ui/connection-selector.ts).
    const itemSelect = '#node-input-item-selector select';
    await page.waitForSelector(`${itemSelect} option[value="${login.id}"]`, { state: 'attached' });
    const labels = await page.$$eval(`${itemSelect} option`, (os) => os.map((o) => o.textContent ?? ''));
    assert.ok(labels.includes('Web login'), JSON.stringify(labels));
    assert.ok(labels.some((l) => l.startsWith(HOSTILE_NAME)), JSON.stringify(labels));
    assert.equal(await page.evaluate(() => (globalThis as any).__xss), undefined);

    await page.selectOption(itemSelect, login.id);
    await page.selectOption('#node-input-mode', 'field');
    await page.waitForSelector('#node-input-field option[value="password"]', { state: 'attached' });
    const fields = await page.$$eval('#node-input-field option', (os) => os.map((o) => (o as any).value));
    assert.deepEqual(fields, ['password', 'username']);
    await page.selectOption('#node-input-field', 'password');
    await page.click('#node-dialog-ok');

    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction(() => !(globalThis as any).RED.nodes.dirty(), undefined, { timeout: 30_000 });
    const flows = await (await fetch(`${base}flows`)).json() as { id: string; item?: string; mode?: string; field?: string; maskDebug?: boolean }[];
    const node = flows.find((n) => n.id === GET_ITEM)!;
    assert.deepEqual([node.item, node.mode, node.field, node.maskDebug], [login.id, 'field', 'password', true]);
    assert.ok(!readFileSync(join(userDir, 'flows.json'), 'utf8').includes(CANARY));

    // The deploy answers before the new flows have started: an inject before then is a 404.
    await waitFor('the inject node to take the press', async () => (await fetch(`${base}inject/${INJECT}`, { method: 'POST' })).status === 200, 30_000, 200);
    await page.evaluate(() => (globalThis as any).RED.sidebar.show('debug'));
    // The flow ran: the debug sidebar shows its output, with the vault value masked (the default).
    await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('.red-ui-debug-msg')].some((e: any) => e.textContent?.includes('[masked by vault]')), undefined, { timeout: 30_000 }).catch(async (e) => {
      const shown = await page.$$eval('.red-ui-debug-msg', (es) => es.map((x) => x.textContent));
      await page.screenshot({ path: join(tmpdir(), 'nr-vault-dialogs-failure.png') });
      throw new Error(`${e.message}\ndebug sidebar: ${JSON.stringify(shown)}\nlog: ${run.log.slice(-3000)}`);
    });
    assert.ok(!(await page.content()).includes(CANARY));
  });
});
