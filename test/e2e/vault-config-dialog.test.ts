/// <reference lib="dom" />
import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import { newId, sodiumReady } from '../../credentials';
import { launchChromium, openEditor, screenshot, showSidebarTab } from '../helpers/browser';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

// Issue 13 items 3, 4, 5 and 8 in a real Node-RED (4.1 or 5, as selected) and Chromium: a vault
// made in a cancelled configuration dialog is removed again; the configuration node takes the new
// vault's name unless it was named in the dialog; "New vault" on a configuration node that nodes
// use asks before moving them all; a vault is deleted from the Vault page after a confirmation that
// counts its nodes and connections. The key is shown by the one key panel (Copy, Download, saved).
declare const RED: {
  editor: { editConfig(name: string, type: string, id: string): void };
  nodes: { node(id: string): Record<string, unknown> | null };
};

describe('editor: vault configuration dialog and deleting a vault (real Node-RED, Chromium)', function () {
  this.timeout(300_000);
  let nr: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let first: TestVault;

  const vaultsOnServer = async () => (await (await fetch(`${nr.url}vault/vaults`)).json() as { id: string; name: string }[]);
  /** Make a vault in the open configuration dialog, save its key and close the key panel. */
  async function createInDialog(name: string): Promise<void> {
    await page.fill('#nr-vault-new-vault-name', name);
    await page.click('#nr-vault-create-vault');
    await page.waitForSelector('#nr-vault-vsk');
    assert.ok(await page.isVisible('#nr-vault-vsk-copy') && await page.isVisible('#nr-vault-vsk-download'), 'the Vault page\'s key panel');
    await page.check('#nr-vault-vsk-saved');
    await page.click('#nr-vault-vsk-done');
    await page.waitForSelector('#nr-vault-vsk', { state: 'detached' });
  }

  before(async () => {
    await sodiumReady();
    nr = await startNodeRed({
      logLevel: 'warn',
      settings: { editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } } },
    });
    const client = nr.client();
    first = await client.createVault('Office');
    assert.equal((await client.putItem(first, { id: newId(), name: 'Mail', type: 'smtp', plain: { host: 'smtp.example.test' }, secret: { password: 'pw-7a1c' } })).status, 200);
    await nr.deployFlows([
      { id: 'vctab', type: 'tab', label: 'config dialog' },
      { id: 'vccfg', type: 'vault', name: 'My vault', vaultId: first.id },
      { id: 'vcget1', type: 'vault-get-item', z: 'vctab', name: 'read one', vault: 'vccfg', item: '', mode: 'item', property: 'payload', onLocked: 'wait', waitSeconds: 30, x: 200, y: 80, wires: [[]] },
      { id: 'vcget2', type: 'vault-get-item', z: 'vctab', name: 'read two', vault: 'vccfg', item: '', mode: 'item', property: 'payload', onLocked: 'wait', waitSeconds: 30, x: 200, y: 160, wires: [[]] },
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openEditor(page, nr.url);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await nr?.stop();
  });

  it('a vault made in a new configuration dialog that is then cancelled is removed from the server', async () => {
    await page.evaluate(() => RED.editor.editConfig('', 'vault', '_ADD_'));
    await page.click('#node-config-vault-new');
    await createInDialog('Scratch');
    assert.equal(await page.inputValue('#node-config-input-name'), 'Scratch', 'the node is named after the vault');
    assert.ok((await vaultsOnServer()).some((v) => v.name === 'Scratch'));
    await page.click('#node-config-dialog-cancel');
    await waitFor('the cancelled vault to be removed', async () => !(await vaultsOnServer()).some((v) => v.name === 'Scratch'), 30_000, 200);
    assert.ok((await vaultsOnServer()).some((v) => v.id === first.id), 'the other vault stays');
  });

  it('"New vault" on a configuration node used by two nodes asks first; the node then takes the new vault\'s name', async () => {
    // From a node's dialog, by the pencil beside its Vault list, as a person does.
    await page.evaluate(() => (RED.editor as unknown as { edit(n: unknown): void }).edit(RED.nodes.node('vcget1')));
    await page.click('#node-input-btn-vault-edit');
    await page.waitForFunction((id) => (document.querySelector('#node-config-input-vaultId') as HTMLInputElement | null)?.value === id, first.id);
    await page.click('#node-config-vault-new');
    await page.waitForSelector('#nr-vault-repoint-go').catch(async (e) => {
      const seen = await page.evaluate(() => ({ dialogs: Array.from(document.querySelectorAll('.nr-vault-dialog')).map((d) => d.textContent), vaultId: (document.querySelector('#node-config-input-vaultId') as HTMLInputElement | null)?.value }));
      throw new Error(`${(e as Error).message}\n${JSON.stringify(seen)}`);
    });
    const ask = (await page.textContent('.nr-vault-dialog'))!;
    assert.ok(ask.includes('used by 2 nodes') && ask.includes('Add new vault'), ask);
    await screenshot(page, 'vault-config-new-vault-asks');
    // Cancel: nothing changes.
    await page.click('.nr-vault-ui-dialog button:has-text("Cancel")');
    assert.equal(await page.inputValue('#node-config-input-vaultId'), first.id);
    // Go on: the new vault, and the node's name follows it ("My vault" was not typed in this dialog).
    await page.click('#node-config-vault-new');
    await page.click('#nr-vault-repoint-go');
    await createInDialog('Home');
    assert.equal(await page.inputValue('#node-config-input-name'), 'Home');
    const home = (await vaultsOnServer()).find((v) => v.name === 'Home')!;
    assert.equal(await page.inputValue('#node-config-input-vaultId'), home.id);
    await page.click('#node-config-dialog-ok');
    await page.waitForSelector('#node-config-input-vaultId', { state: 'detached' });
    assert.equal(await page.evaluate(() => RED.nodes.node('vccfg')!.name), 'Home');
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    assert.ok((await vaultsOnServer()).some((v) => v.id === home.id), 'a saved dialog keeps its vault');
  });

  it('deletes a vault from the Vault page after saying how many nodes use it and how many connections it holds', async () => {
    await showSidebarTab(page, 'nr-vault');
    const home = (await vaultsOnServer()).find((v) => v.name === 'Home')!;
    // Office: one connection, no node left on it; Cancel deletes nothing.
    await page.click(`.nr-vault-vault[data-vault="${first.id}"] .nr-vault-delete-vault`);
    await page.waitForSelector('#nr-vault-delete-vault-go');
    assert.equal(await page.getAttribute('.nr-vault-delete-connections', 'data-count'), '1');
    assert.equal(await page.getAttribute('.nr-vault-dialog .nr-vault-usage', 'data-count'), '0');
    await page.click('.nr-vault-ui-dialog button:has-text("Cancel")');
    assert.ok((await vaultsOnServer()).some((v) => v.id === first.id));
    // Home: no connection, used by the two Get Item nodes.
    await page.click(`.nr-vault-vault[data-vault="${home.id}"] .nr-vault-delete-vault`);
    await page.waitForSelector('#nr-vault-delete-vault-go');
    assert.equal(await page.getAttribute('.nr-vault-delete-connections', 'data-count'), '0');
    assert.equal(await page.getAttribute('.nr-vault-dialog .nr-vault-usage', 'data-count'), '2');
    await screenshot(page, 'vault-page-delete-vault');
    await page.click('#nr-vault-delete-vault-go');
    await page.waitForSelector(`.nr-vault-vault[data-vault="${home.id}"]`, { state: 'detached' });
    assert.deepEqual((await vaultsOnServer()).map((v) => v.id), [first.id]);
  });
});
