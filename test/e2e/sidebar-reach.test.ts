import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openEditor, screenshot, showSidebarTab } from '../helpers/browser';
import { NODE_RED_MAJOR, startNodeRed, type NodeRedProcess } from '../helpers/node-red';

/**
 * Issue 13 item 2: on Node-RED 4.1 the Vault page was only in the sidebar's ▾ menu at common
 * window sizes, and opening Debug pushed it out again. Its button must be one click away.
 */
describe('editor: the Vault page is one click away at common window sizes', function () {
  this.timeout(240_000);
  let userDir: string;
  let run: NodeRedProcess;
  let browser: Browser;

  before(async () => {
    userDir = mkdtempSync(join(tmpdir(), 'nr-vault-sidebar-'));
    run = await startNodeRed({ script: 'npm-start', userDir });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await run?.stop();
    rmSync(userDir, { recursive: true, force: true });
  });

  /** The visible, clickable control that shows the Vault page (not an entry of a menu). */
  async function vaultButton(page: Page) {
    // Node-RED 4.1: the header's lock button (or the tab's own button, when it has room); Node-RED 5: the sidebar bar's button.
    const candidates = await page.$$('#nr-vault-header-button, [data-tab-id="nr-vault"], #red-ui-tab-nr-vault-link-button');
    for (const c of candidates) if (await c.isVisible()) return c;
    return null;
  }

  for (const [width, height] of [[1400, 900], [1024, 768]] as const) {
    it(`${width}x${height}: a visible button shows the Vault page, also after Debug was opened`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      try {
        await openEditor(page, run.url);
        for (const other of ['debug', 'info', 'debug']) {
          await showSidebarTab(page, other);
          // Node-RED 5 shows Debug in a pane of its own: the Vault page may still be open (and a
          // click on its button would close it).
          if (await page.isVisible('#nr-vault-sidebar-list')) continue;
          const button = await vaultButton(page);
          assert.ok(button, `no visible Vault button after showing ${other} (Node-RED ${NODE_RED_MAJOR})`);
          await button.click();
          await page.waitForSelector('#nr-vault-sidebar-list', { state: 'visible' });
        }
        await screenshot(page, `sidebar-vault-button-${width}x${height}-nr${NODE_RED_MAJOR}`);
      } finally {
        await page.close();
      }
    });
  }
});
