/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './vectors';

/** Debian's Chromium (.ci/run installs it), headless, no network of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', ...extraArgs],
  });
}

/** Everything a page sent: HTTP requests (method, URL, body) and websocket frames. */
export interface SentTraffic {
  requests: { method: string; url: string; body: string }[];
  frames: string[];
}

export function recordTraffic(page: Page): SentTraffic {
  const sent: SentTraffic = { requests: [], frames: [] };
  page.on('request', (r) => sent.requests.push({ method: r.method(), url: r.url(), body: r.postData() ?? '' }));
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))));
  return sent;
}

/** Open the editor, log in when adminAuth asks, and wait until the palette and the vault UI are there. */
export async function openEditor(page: Page, url: string, login?: { username: string; password: string }): Promise<void> {
  await page.goto(url);
  if (login) {
    await page.waitForSelector('#node-dialog-login-username', { timeout: 60_000 });
    await page.fill('#node-dialog-login-username', login.username);
    await page.fill('#node-dialog-login-password', login.password);
    await page.click('#node-dialog-login-submit');
  }
  await page.waitForSelector('.red-ui-palette-node[data-palette-type="vault-get-item"]', { timeout: 90_000 });
  await page.waitForSelector('#red-ui-loading-progress', { state: 'hidden', timeout: 60_000 });
  await page.waitForSelector('#nr-vault-sidebar-list', { state: 'attached' });
}

/** Show a sidebar tab as the View menu does. */
export async function showSidebarTab(page: Page, id: string): Promise<void> {
  await page.evaluate((tab) => (globalThis as unknown as { RED: { sidebar: { show(id: string): void } } }).RED.sidebar.show(tab), id);
}

/** Screenshots go to test-output/screenshots, or to NR_VAULT_SCREENSHOTS (e.g. docs/images). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.NR_VAULT_SCREENSHOTS ? join(ROOT, process.env.NR_VAULT_SCREENSHOTS) : join(ROOT, 'test-output', 'screenshots');
  mkdirSync(dir, { recursive: true });
  // Node-RED's passing notifications ("Imported", "Deployed") would cover the picture; keep ours.
  await page.evaluate(() => {
    document.querySelectorAll('.red-ui-notification').forEach((n) => {
      const note = n as HTMLElement & { close?: () => void };
      if (!note.querySelector('.nr-vault-unlock-offer') && note.close) note.close();
    });
  });
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.red-ui-notification')).every((n) => n.querySelector('.nr-vault-unlock-offer')));
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Set the sidebar to about `width` pixels by dragging its separator, as a person does (for
 * readable screenshots). A target, not a step: Node-RED 5 keeps the sidebar's width in the user's
 * settings, so each new session starts where the last one left it. Node-RED 5's separator has
 * zero width (a wider handle inside takes the mouse), so it is never "visible" to Playwright:
 * wait for it to be there, and press at its middle.
 */
export async function setSidebarWidth(page: Page, width: number): Promise<void> {
  const sidebar = await (await page.waitForSelector('#red-ui-sidebar', { state: 'attached' })).boundingBox();
  const box = await (await page.waitForSelector('#red-ui-sidebar-separator', { state: 'attached' })).boundingBox();
  if (!box || !sidebar) return;
  const by = width - sidebar.width;
  if (Math.abs(by) < 2) return;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - by / 2, y, { steps: 4 });
  await page.mouse.move(x - by, y, { steps: 4 });
  await page.mouse.up();
}
