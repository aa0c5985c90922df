import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium, openEditor, screenshot, showSidebarTab } from '../helpers/browser';
import { ADMIN, NODE_RED_MAJOR, startNodeRed, type NodeRedProcess } from '../helpers/node-red';

/** Issue 11, High 4: without adminAuth, any page of the editor's user could read an unlocked vault; the Vault page says so. */
describe('editor: the Vault page warns when Node-RED runs without adminAuth', function () {
  this.timeout(240_000);
  let browser: Browser;
  const runs: NodeRedProcess[] = [];

  before(async () => { browser = await launchChromium(); });
  after(async () => {
    await browser?.close();
    for (const r of runs) await r.stop();
  });

  async function vaultPage(run: NodeRedProcess, login?: typeof ADMIN) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openEditor(page, run.url, login);
    await showSidebarTab(page, 'nr-vault');
    // The list has drawn once the empty-list hint (no vault yet) is there.
    await page.waitForSelector('#nr-vault-sidebar-list .nr-vault-empty', { timeout: 60_000 });
    return page;
  }

  it('no adminAuth and no adminGuard: a warning that names both', async () => {
    const run = await startNodeRed();
    runs.push(run);
    const page = await vaultPage(run);
    const text = await page.textContent('#nr-vault-admin-auth-warning');
    assert.match(text ?? '', /no adminAuth/);
    assert.match(text ?? '', /no adminGuard/);
    await screenshot(page, `vault-page-no-admin-auth-nr${NODE_RED_MAJOR}`);
    await page.close();
  });

  it('with adminAuth: no warning', async () => {
    const run = await startNodeRed({ users: [ADMIN] });
    runs.push(run);
    const page = await vaultPage(run, ADMIN);
    assert.equal(await page.$('#nr-vault-admin-auth-warning'), null);
    await page.close();
  });
});
