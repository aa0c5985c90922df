/// <reference lib="dom" />
import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import { newId, sodiumReady } from '../../credentials';
import { launchChromium, openEditor, recordTraffic, screenshot, showSidebarTab, type SentTraffic } from '../helpers/browser';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { PG_URL, sharedSchema } from '../helpers/postgres';
import type { TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

// Issue 13 items 1 and 7, issue 11 Medium 9: the unlock offer in a real Node-RED (4.1 or 5, as
// selected) on a shared PostgreSQL store, in Chromium. The offer survives a reload, says who waits
// now (and stops saying so once nothing does), names the runtime the key is sealed to, marks a
// node's name as one, and a key is not sent to a runtime without an approval unless the person
// says so after being told.
const PHISHING_NAME = 'Runtime A (prod) nightly check - approved by ops <img src=x onerror="window.__nrVaultXss=1">';

declare const RED: { sidebar: { show(id: string): void } };

describe('editor: unlock requests after a reload, stale offers, the runtime named (real Node-RED, PostgreSQL, Chromium)', function () {
  this.timeout(300_000);
  const shared = sharedSchema();
  let nr: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let sent: SentTraffic;
  let vault: TestVault;
  let fingerprint = '';
  let runtimeName = '';
  let flows: Record<string, unknown>[] = [];

  const offer = () => `.nr-vault-unlock-offer[data-vault="${vault.id}"]`;
  const unlockPosts = () => sent.requests.filter((r) => r.method === 'POST' && r.url.endsWith(`/vault/vaults/${vault.id}/unlock`)).length;
  const press = async (id: string) => waitFor(`inject ${id} to take the press`, async () => (await fetch(`${nr.url}inject/${id}`, { method: 'POST' })).status === 200, 60_000, 250);

  before(async () => {
    await sodiumReady();
    nr = await startNodeRed({
      logLevel: 'warn',
      settings: { editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } } },
      vault: { runtimeName: 'editor-runtime', store: { type: 'postgres', connectionString: PG_URL, schema: shared.schema } },
    });
    const client = nr.client();
    vault = await client.createVault('Home');
    const itemId = newId();
    assert.equal((await client.putItem(vault, { id: itemId, name: 'Login', type: 'login', plain: { username: 'ada' }, secret: { password: 'pw-canary-41d2' } })).status, 200);
    const identity = await (await fetch(`${nr.url}vault/runtime`)).json() as { fingerprint: string; name: string; sharedStore: boolean };
    assert.equal(identity.sharedStore, true);
    fingerprint = identity.fingerprint;
    runtimeName = identity.name;
    flows = [
      { id: 'urtab', type: 'tab', label: 'unlock requests' },
      { id: 'urcfg', type: 'vault', name: 'Home', vaultId: vault.id },
      { id: 'urinj1', type: 'inject', z: 'urtab', name: 'long wait', props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', once: false, x: 120, y: 80, wires: [['urget1']] },
      { id: 'urget1', type: 'vault-get-item', z: 'urtab', name: PHISHING_NAME, vault: 'urcfg', item: itemId, mode: 'field', field: 'password', property: 'payload', onLocked: 'wait', waitSeconds: 900, x: 420, y: 80, wires: [[]] },
      { id: 'urinj2', type: 'inject', z: 'urtab', name: 'short wait', props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', once: false, x: 120, y: 160, wires: [['urget2']] },
      { id: 'urget2', type: 'vault-get-item', z: 'urtab', name: 'short wait', vault: 'urcfg', item: itemId, mode: 'field', field: 'password', property: 'payload', onLocked: 'wait', waitSeconds: 8, x: 420, y: 160, wires: [[]] },
    ];
    await nr.deployFlows(flows);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    sent = recordTraffic(page);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await nr?.stop();
    await shared.cleanup().catch(() => undefined);
  });

  it('an editor opened (and reloaded) after a node began to wait offers the unlock, names the runtime and the node as a node', async () => {
    // The message waits before any editor is open: the runtime's one event reached nobody.
    await press('urinj1');
    await waitFor('the runtime to count the message', async () => {
      const list = await (await fetch(`${nr.url}vault/unlock-requests`)).json() as { node: string; waiting: number }[];
      return list.some((w) => w.node === 'urget1' && w.waiting === 1);
    }, 60_000, 250);
    for (const round of ['open', 'reload']) {
      if (round === 'reload') await page.reload();
      await openEditor(page, nr.url);
      const shown = await page.waitForSelector(`${offer()} .nr-vault-runtime-fingerprint`, { timeout: 60_000 });
      assert.equal(await shown.textContent(), fingerprint, round);
      await page.waitForSelector(`${offer()} li[data-node="urget1"]:has-text("1 message waiting")`);
      assert.equal(await page.textContent(`${offer()} li[data-node="urget1"] .nr-vault-node-name`), PHISHING_NAME);
      assert.equal(await page.textContent(`${offer()} .nr-vault-runtime-name`), runtimeName);
      assert.equal(await page.evaluate(() => (globalThis as { __nrVaultXss?: number }).__nrVaultXss), undefined);
    }
    await page.evaluate(() => RED.sidebar.show('nr-vault'));
    await page.waitForSelector(`.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-waiting[data-messages="1"]:has-text("1 message waiting")`);
    await page.waitForFunction(() => (globalThis as unknown as { $: (s: string) => { length: number } }).$('.red-ui-notification:animated').length === 0);
    await screenshot(page, 'unlock-popup-after-reload');
  });

  it('stops saying a node waits once its message timed out, and the unlock dialog follows', async () => {
    await press('urinj2');
    await page.waitForSelector(`${offer()} li[data-node="urget2"]:has-text("1 message waiting")`, { timeout: 60_000 });
    // waitSeconds 8: then the node no longer holds anything, and the offer says so.
    await page.waitForSelector(`${offer()} li[data-node="urget2"].nr-vault-not-waiting`, { timeout: 90_000 });
    assert.ok(!(await page.textContent(`${offer()} li[data-node="urget2"]`))!.includes('message'));
    await page.waitForSelector(`.nr-vault-waiting[data-messages="1"]`, { state: 'attached' });

    await page.click('#nr-vault-popup-unlock');
    await page.waitForSelector('#nr-vault-unlock-vsk');
    assert.equal(await page.textContent('.nr-vault-dialog .nr-vault-runtime-fingerprint'), fingerprint);
    await page.waitForSelector('.nr-vault-dialog li[data-node="urget1"]:has-text("1 message waiting")');
    // The long wait ends too (its node is removed by a deploy): the open dialog stops saying it waits.
    await nr.deployFlows(flows.filter((n) => n.id !== 'urget1' && n.id !== 'urinj1'));
    await page.waitForSelector('.nr-vault-dialog li[data-node="urget1"]', { state: 'detached', timeout: 60_000 });
    assert.ok(!(await page.textContent('.nr-vault-dialog'))!.includes('message waiting'));
  });

  it('with a shared store, a runtime without an approval is named plainly and nothing is sent until the person goes on', async () => {
    await page.fill('#nr-vault-unlock-vsk', vault.vsk);
    await page.click('#nr-vault-unlock-go');
    await page.waitForSelector('#nr-vault-unlock-not-approved:not([hidden])');
    const warning = (await page.textContent('#nr-vault-unlock-not-approved'))!;
    assert.ok(warning.includes('no approval') && warning.includes(fingerprint) && warning.includes('Nothing was sent'), warning);
    assert.equal(unlockPosts(), 0);
    await screenshot(page, 'unlock-dialog-not-approved');

    // Cancel leaves a trace on the Vault page, as "Not now" does.
    await page.click('.nr-vault-ui-dialog button:has-text("Cancel")');
    await page.waitForSelector(`.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-waiting:has-text("Not now")`);
    assert.equal(unlockPosts(), 0);

    // Going on after the warning sends the key (sealed) to this runtime.
    await page.click(`.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-lock-toggle`);
    await page.fill('#nr-vault-unlock-vsk', vault.vsk);
    await page.click('#nr-vault-unlock-go');
    await page.waitForSelector('#nr-vault-unlock-not-approved:not([hidden])');
    assert.equal(unlockPosts(), 0);
    await page.click('#nr-vault-unlock-go');
    await page.waitForSelector('#nr-vault-unlock-vsk', { state: 'detached' });
    assert.equal(unlockPosts(), 1);
    await page.waitForSelector(`.nr-vault-vault[data-vault="${vault.id}"][data-unlocked="true"]`);
    assert.equal(await page.$(`.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-waiting`), null);
    assert.ok(!sent.requests.some((r) => r.body.includes(vault.vsk)), 'the VSK was sent in clear');
    await showSidebarTab(page, 'nr-vault');
  });
});
