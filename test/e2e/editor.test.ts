/// <reference lib="dom" />
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openVaultKeyPair, parseVsk, sodiumReady } from '../../credentials';
import { launchChromium, openEditor, recordTraffic, screenshot, setSidebarWidth, showSidebarTab, type SentTraffic } from '../helpers/browser';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { VaultTestClient, type Call } from '../helpers/vault-client';

// The editor end to end: a real Node-RED process with adminAuth, Debian's Chromium, the person's
// clicks. Each scenario has its own vault (made through the API unless the scenario makes it), its
// own editor session and the same deployed flows to start from, so any one can run alone.
const ADMIN = { username: 'admin', password: 'e2e-admin-password', permissions: '*' };
const MAIL_PASSWORD = 'canary-smtp-password-7f3a91';
const API_KEY = 'canary-api-key-c0ffee-55d2';
const ELSEWHERE_KEY = 'canary-written-elsewhere-91b4';
const XSS_NAME = '<img src=x onerror=alert(1)>';
const XSS_FLAG_NAME = '<img src=x onerror="window.__nrVaultXss=1">';

// inject → (Get Item, dropped by the test) → debug (Get Item masks vault values in debug nodes)
//                                           → function: a new message with the key's last 4 characters → debug
const FLOWS = [
  { id: 'e2etab', type: 'tab', label: 'Vault e2e', disabled: false, info: '' },
  { id: 'e2einject', type: 'inject', z: 'e2etab', name: 'read', props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', once: false, x: 140, y: 120, wires: [[]] },
  { id: 'e2edebug', type: 'debug', z: 'e2etab', name: 'vault value', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', x: 640, y: 120, wires: [] },
  { id: 'e2etail', type: 'function', z: 'e2etab', name: 'last 4', func: "return { payload: 'key ends with ' + msg.payload.key.slice(-4) };", outputs: 1, x: 640, y: 200, wires: [['e2edebugtail']] },
  { id: 'e2edebugtail', type: 'debug', z: 'e2etab', name: 'tail', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', x: 860, y: 200, wires: [] },
];

type Red = {
  nodes: {
    eachNode(fn: (n: Record<string, unknown>) => void): void;
    node(id: string): Record<string, any> | null;
    dirty(): boolean;
    filterLinks(filter: Record<string, unknown>): { source: { id: string }; target: { id: string } }[];
  };
  view: { importNodes(nodes: unknown[], options?: Record<string, unknown>): void };
  editor: { edit(node: Record<string, unknown>): void };
};
declare const RED: Red;

describe('editor end to end (real Node-RED, Chromium)', function () {
  this.timeout(180_000);
  let nr: NodeRedProcess;
  let browser: Browser;
  let token: string;
  let api: Call;
  let client: VaultTestClient;
  // Each test has its own page (and so its own record of what the page sent) and its own vault.
  let page: Page;
  let sent: SentTraffic;
  let dialogs: string[];

  before(async function () {
    await sodiumReady();
    nr = await startNodeRed({
      users: [ADMIN],
      flows: FLOWS,
      logLevel: 'warn',
      settings: { editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } } },
    });
    token = await nr.token(ADMIN);
    api = nr.call(token);
    client = new VaultTestClient(api);
    browser = await launchChromium();
  });

  after(async function () {
    await browser?.close().catch(() => undefined);
    await nr?.stop();
  });

  // Every test starts from the same deployed flows, whatever the test before it deployed.
  beforeEach(async function () {
    await nr.deployFlows(FLOWS, token);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, `failed-${this.currentTest.title.slice(0, 40).replace(/[^A-Za-z0-9]+/g, '-')}`).catch(() => undefined);
    }
    await page?.context().close().catch(() => undefined);
  });

  /** A fresh editor session (its own browser context), signed in, on the Vault page. */
  async function openVaultPage(): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: nr.url.replace(/\/$/, '') });
    page = await context.newPage();
    sent = recordTraffic(page);
    const seen: string[] = [];
    dialogs = seen;
    page.on('dialog', (d) => {
      seen.push(d.message());
      void d.dismiss();
    });
    page.setDefaultTimeout(60_000);
    await openEditor(page, nr.url, ADMIN);
    await setSidebarWidth(page, 460);
    await showSidebarTab(page, 'nr-vault');
    await page.waitForSelector('#nr-vault-create', { state: 'visible' });
  }

  /** A vault made through the API (as the CLI or another editor would), with these connections. */
  async function vaultWith(name: string, items: { name: string; type: string; plain?: Record<string, string>; secret?: Record<string, string> }[] = []) {
    const vault = await client.createVault(name);
    const ids: string[] = [];
    for (const item of items) {
      const put = await client.putItem(vault, item);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      ids.push(put.id);
    }
    return { vault, ids };
  }

  /** Nothing this page sent, nor the runtime's log or flows file, carries one of `secrets` in clear. */
  function assertStayedSecret(secrets: string[]): void {
    assert.ok(sent.requests.length > 5, `requests were recorded (${sent.requests.length})`);
    for (const secret of secrets) {
      for (const r of sent.requests) assert.equal(r.url.includes(secret) || r.body.includes(secret), false, `${r.method} ${r.url} carries a secret`);
      for (const f of sent.frames) assert.equal(f.includes(secret), false, 'a websocket frame carries a secret');
      assert.equal(nr.log.includes(secret), false, 'the Node-RED log carries a secret');
      assert.equal(readFileSync(join(nr.userDir, 'flows.json'), 'utf8').includes(secret), false, 'flows.json carries a secret');
    }
  }

  it('creates a vault on the Vault page and shows its VSK once, with copy, download and an "I have saved it" check', async function () {
    const known = new Set(((await api('GET', 'vault/vaults')).body as { id: string }[]).map((v) => v.id));
    await openVaultPage();
    await page.click('#nr-vault-create');
    await page.fill('#nr-vault-new-vault-name', 'Production');
    await page.click('#nr-vault-create-vault');
    const vsk = (await page.textContent('#nr-vault-vsk'))!.trim();
    assert.match(vsk, /^vsk1_[A-Za-z0-9_-]{43}$/);
    // Copy puts the key on the clipboard; Download saves it from memory (a blob URL: no request).
    await page.click('#nr-vault-vsk-copy');
    await page.waitForSelector('.nr-vault-dialog [aria-live]:has-text("Copied.")');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), vsk);
    const requestsBefore = sent.requests.length;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#nr-vault-vsk-download')]);
    assert.match(download.suggestedFilename(), /^Production\.vsk\.txt$/);
    assert.ok(readFileSync((await download.path())!, 'utf8').includes(`Vault Secret Key: ${vsk}`));
    // The Vault page may redraw meanwhile (vault/changed after the create): its GETs carry nothing.
    const madeByDownload = sent.requests.slice(requestsBefore).filter((r) => !r.url.startsWith('blob:') && !(r.method === 'GET' && /\/vault\/vaults(\/[^/]+\/items)?(\?|$)/.test(r.url)));
    assert.deepEqual(madeByDownload.map((r) => `${r.method} ${r.url}`), [], 'the download made no request');
    await screenshot(page, 'vault-page-new-vault-key');

    // Not closable before the person says the key is saved.
    await page.click('#nr-vault-vsk-done');
    await page.waitForSelector('.nr-vault-dialog .nr-vault-error:not([hidden])');
    assert.equal(await page.isVisible('#nr-vault-vsk'), true);
    await page.check('#nr-vault-vsk-saved');
    await page.click('#nr-vault-vsk-done');
    await page.waitForSelector('#nr-vault-vsk', { state: 'detached' });

    const vaults = (await api('GET', 'vault/vaults')).body as { id: string; name: string; share: string; publicKey: string }[];
    const made = vaults.filter((v) => !known.has(v.id));
    assert.deepEqual(made.map((v) => v.name), ['Production'], 'the vault is in the store');
    const record = made[0]!;
    const section = await page.waitForSelector(`.nr-vault-vault[data-vault="${record.id}"][data-unlocked="false"]`);
    assert.equal((await section.textContent())!.includes('Production'), true);
    // The runtime got the public record only; the key shown derives its public key.
    assert.doesNotThrow(() => openVaultKeyPair(parseVsk(vsk), record));
    assertStayedSecret([vsk, vsk.slice(5)]);
  });

  it('creates an empty connection, shows it orange, fills it and shows it ready', async function () {
    const { vault } = await vaultWith('Connections');
    await openVaultPage();
    await page.click(`.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-add`);
    await page.selectOption('#nr-vault-conn-type', 'smtp');
    await page.fill('#nr-vault-conn-name', 'Mail relay');
    await page.click('#nr-vault-conn-empty');
    const row = await page.waitForSelector(`.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-item[data-status="empty"]`);
    const mailId = (await row.getAttribute('data-item'))!;
    assert.equal(await badgeColour(page, mailId, 'empty'), 'rgb(255, 224, 178)', 'empty is orange');

    await page.click(`.nr-vault-item[data-item="${mailId}"] .nr-vault-edit`);
    await page.fill('#nr-vault-field-host', 'smtp.example.test');
    await page.fill('#nr-vault-field-from', 'flows@example.test');
    await page.fill('#nr-vault-field-password', MAIL_PASSWORD);
    await screenshot(page, 'vault-page-edit-connection');
    await page.click('#nr-vault-conn-save');
    assert.equal(await badgeColour(page, mailId, 'ready'), 'rgb(223, 240, 216)', 'ready is green');

    const items = (await api('GET', `vault/vaults/${vault.id}/items`)).body as { id: string; plain: Record<string, string>; secretFields: string[]; status: string }[];
    const mail = items.find((i) => i.id === mailId)!;
    assert.deepEqual(mail.secretFields, ['password']);
    assert.equal(mail.status, 'ready');

    // Editing again shows the secret only as "set".
    await page.click(`.nr-vault-item[data-item="${mailId}"] .nr-vault-edit`);
    const state = await page.waitForSelector('[data-secret="password"] .nr-vault-secret-state');
    assert.equal(await state.textContent(), 'set');
    assert.equal(await page.inputValue('#nr-vault-field-password'), '');
    // Clear it: the stored secret is removed, the plain fields stay.
    await page.click('[data-secret="password"] button:has-text("Clear")');
    await page.waitForSelector('[data-secret="password"] .nr-vault-secret-state:has-text("will be cleared")');
    await page.click('#nr-vault-conn-save');
    await page.waitForSelector('#nr-vault-conn-name', { state: 'detached' });
    // The dialog closes only once the write was answered.
    const after = ((await api('GET', `vault/vaults/${vault.id}/items`)).body as { id: string; plain: Record<string, string>; secretFields: string[] }[]).find((i) => i.id === mailId)!;
    assert.deepEqual(after.secretFields, []);
    assert.equal(after.plain.host, 'smtp.example.test');

    const puts = sent.requests.filter((r) => r.method === 'PUT' && r.url.includes('/vault/vaults/'));
    assert.ok(puts.some((r) => r.body.includes('"wrapped"')), 'sealed secret fields were sent');
    assertStayedSecret([MAIL_PASSWORD, vault.vsk, vault.vsk.slice(5)]);
  });

  it('shows a connection named <img src=x onerror=alert(1)> as that text and runs nothing', async function () {
    const { vault } = await vaultWith('Names');
    await openVaultPage();
    for (const name of [XSS_NAME, XSS_FLAG_NAME]) {
      await page.click(`.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-add`);
      await page.selectOption('#nr-vault-conn-type', 'login');
      await page.fill('#nr-vault-conn-name', name);
      await page.click('#nr-vault-conn-empty');
      await page.waitForSelector('#nr-vault-conn-name', { state: 'detached' });
    }
    await page.waitForFunction((n) => Array.from(document.querySelectorAll('.nr-vault-item-name')).some((e) => e.textContent === n), XSS_FLAG_NAME);
    const names = await page.$$eval(`.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-item-name`, (els) => els.map((e) => e.textContent));
    assert.ok(names.includes(XSS_NAME), `the name is shown as text: ${JSON.stringify(names)}`);
    assert.equal(await page.$$eval('#nr-vault-sidebar-list img', (els) => els.length), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __nrVaultXss?: number }).__nrVaultXss), undefined);
    assert.deepEqual(dialogs, []);
    assert.equal(sent.requests.some((r) => /\/x(\?|$)/.test(r.url)), false, 'no request for the img src');
  });

  it('drags Get Item into a flow, picks a connection, adds one with + from the node dialog, deploys, unlocks from the popup and shows the value in the debug sidebar', async function () {
    const { vault, ids: [mailId] } = await vaultWith('Production', [
      { name: 'Mail relay', type: 'smtp', plain: { host: 'smtp.example.test', from: 'flows@example.test' }, secret: { password: MAIL_PASSWORD } },
    ]);
    const vsk = vault.vsk;
    await openVaultPage();
    // The vault's configuration node, as importing it from a flow file would add it.
    await page.evaluate((id) => RED.view.importNodes([{ id: 'e2evaultcfg', type: 'vault', name: 'Production', vaultId: id }], { generateIds: false }), vault.id);

    // Drag Get Item from the palette between the inject and the debug node.
    await page.dragAndDrop('.red-ui-palette-node[data-palette-type="vault-get-item"]', '#red-ui-workspace-chart', { targetPosition: { x: 390, y: 120 } });
    const getId = await page.waitForFunction(() => {
      let id: string | undefined;
      RED.nodes.eachNode((n) => { if (n.type === 'vault-get-item') id = n.id as string; });
      return id;
    }).then((h) => h.jsonValue() as Promise<string>);
    await wire(page, 'e2einject', getId);
    await wire(page, getId, 'e2edebug');
    await wire(page, getId, 'e2etail');
    await page.waitForFunction((id) => {
      const links = RED.nodes.filterLinks({});
      const has = (a: string, b: string) => links.some((l) => l.source.id === a && l.target.id === b);
      return has('e2einject', id) && has(id, 'e2edebug') && has(id, 'e2etail');
    }, getId);

    // Open its dialog, choose the vault and the connection.
    await page.dblclick(`[id="${getId}"] .red-ui-flow-node`);
    await page.waitForSelector('#node-input-item-selector select');
    await page.selectOption('#node-input-vault', 'e2evaultcfg');
    await page.waitForSelector(`#node-input-item-selector option[value="${mailId}"]`, { state: 'attached' });
    await page.selectOption('#node-input-item-selector select', mailId);
    assert.equal(await page.inputValue('#node-input-item'), mailId);
    await page.waitForSelector('#node-input-item-selector .nr-vault-status[data-status="ready"]');

    // + : a new connection over the node's dialog, selected once added.
    await page.click('#node-input-item-selector .nr-vault-selector-add');
    await page.selectOption('#nr-vault-conn-type', 'api-key');
    await page.fill('#nr-vault-conn-name', 'Partner API');
    await page.fill('#nr-vault-field-key', API_KEY);
    await screenshot(page, 'node-dialog-add-connection');
    await page.click('#nr-vault-conn-save');
    await page.waitForFunction((mail) => {
      const v = (document.getElementById('node-input-item') as HTMLInputElement).value;
      return v !== '' && v !== mail;
    }, mailId);
    const apiKeyId = await page.inputValue('#node-input-item');
    await page.waitForFunction((id) => (document.querySelector('#node-input-item-selector select') as HTMLSelectElement).value === id, apiKeyId);
    await screenshot(page, 'node-dialog-connection-selector');
    if (await page.$('#node-input-waitSeconds')) await page.fill('#node-input-waitSeconds', '120');
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    assert.equal(await page.evaluate((id) => RED.nodes.node(id)!.item, getId), apiKeyId);

    // Deploy, press inject: the vault is locked, so the popup offers to unlock it right here.
    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction(() => !RED.nodes.dirty());
    await page.click('[id="e2einject"] .red-ui-flow-node-button-button');
    const offer = await page.waitForSelector(`.nr-vault-unlock-offer[data-vault="${vault.id}"]`);
    const offerText = (await offer.textContent())!;
    assert.ok(offerText.includes('Production') && offerText.includes('get item'), offerText);
    await page.waitForSelector('#nr-vault-popup-unlock', { state: 'visible' });
    await page.waitForFunction(() => (globalThis as unknown as { $: (s: string) => { length: number } }).$('.red-ui-notification:animated').length === 0);
    await screenshot(page, 'unlock-popup');
    await page.click('#nr-vault-popup-unlock');

    // A malformed key and a wrong key are refused in the browser: nothing is sent.
    const unlockPosts = () => sent.requests.filter((r) => r.method === 'POST' && r.url.endsWith(`/vault/vaults/${vault.id}/unlock`)).length;
    await page.fill('#nr-vault-unlock-vsk', 'not a key');
    await page.click('#nr-vault-unlock-go');
    await page.waitForSelector('.nr-vault-dialog .nr-vault-error:has-text("not a Vault Secret Key")');
    const wrong = `vsk1_${(vsk[5] === 'A' ? 'B' : 'A')}${vsk.slice(6)}`;
    await page.fill('#nr-vault-unlock-vsk', wrong);
    await page.click('#nr-vault-unlock-go');
    await page.waitForSelector('.nr-vault-dialog .nr-vault-error:has-text("not the key of this vault")');
    assert.equal(unlockPosts(), 0);

    await page.fill('#nr-vault-unlock-vsk', vsk);
    await page.click('#nr-vault-unlock-go');
    await page.waitForSelector('#nr-vault-unlock-vsk', { state: 'detached' });
    assert.equal(unlockPosts(), 1);

    // The waiting message goes on: the value reaches the flow (its last 4 characters, in a new
    // message) and the debug node wired to Get Item, which shows it masked.
    await showSidebarTab(page, 'debug');
    const debugHas = (text: string) => page.waitForFunction((t) => Array.from(document.querySelectorAll('.red-ui-debug-msg')).some((m) => (m.textContent ?? '').includes(t)), text);
    await debugHas(`key ends with ${API_KEY.slice(-4)}`);
    await debugHas('[masked by vault]');
    assert.equal(await page.$$eval('.red-ui-debug-msg', (ms, v) => ms.some((m) => (m.textContent ?? '').includes(v)), API_KEY), false, 'the debug sidebar masks the value');
    await screenshot(page, 'debug-sidebar');
    await showSidebarTab(page, 'nr-vault');
    await page.waitForSelector(`.nr-vault-vault[data-vault="${vault.id}"][data-unlocked="true"]`);

    assert.ok(sent.requests.some((r) => r.url.endsWith('/unlock') && r.body.includes('"sealed"')), 'a sealed unlock was sent');
    assertStayedSecret([vsk, vsk.slice(5), MAIL_PASSWORD, API_KEY]);
  });

  it('offers only the accepted types in Send Mail: its selector lists SMTP connections and + adds an SMTP one', async function () {
    const { vault, ids: [mailId] } = await vaultWith('Mail', [
      { name: 'Mail relay', type: 'smtp', plain: { host: 'smtp.example.test', from: 'flows@example.test' }, secret: { password: MAIL_PASSWORD } },
      { name: 'Partner API', type: 'api-key', secret: { key: API_KEY } },
    ]);
    await openVaultPage();
    await page.evaluate(([tab, id]) => RED.view.importNodes([
      { id: 'e2evaultcfg', type: 'vault', name: 'Mail', vaultId: id },
      { id: 'e2esendmail', type: 'vault-send-mail', z: tab, name: '', vault: 'e2evaultcfg', item: '', x: 390, y: 320, wires: [[]] },
    ], { generateIds: false, touchImport: true }), ['e2etab', vault.id]);
    await page.waitForSelector('[id="e2esendmail"] .red-ui-flow-node');
    await page.evaluate(() => RED.editor.edit(RED.nodes.node('e2esendmail')!));
    await page.waitForSelector(`#node-input-item-selector option[value="${mailId}"]`, { state: 'attached' });
    const offered = await page.$$eval('#node-input-item-selector option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    assert.deepEqual(offered, [mailId], 'only the SMTP connection is offered');
    await page.click('#node-input-item-selector .nr-vault-selector-add');
    const types = await page.$$eval('#nr-vault-conn-type option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(types, ['smtp']);
    await page.click('.nr-vault-ui-dialog button:has-text("Cancel")');
    await page.waitForSelector('#nr-vault-conn-type', { state: 'detached' });
    await page.click('#node-dialog-cancel');
    await page.waitForSelector('#node-input-item-selector', { state: 'detached' });
  });

  it('locks the vault from the Vault page', async function () {
    const { vault } = await vaultWith('To lock');
    assert.equal((await client.unlock(vault)).status, 200);
    await openVaultPage();
    await page.click(`.nr-vault-vault[data-vault="${vault.id}"][data-unlocked="true"] .nr-vault-lock-toggle`);
    await page.waitForSelector(`.nr-vault-vault[data-vault="${vault.id}"][data-unlocked="false"]`);
    const vaults = (await api('GET', 'vault/vaults')).body as { id: string; unlocked: boolean }[];
    assert.equal(vaults.find((v) => v.id === vault.id)!.unlocked, false);
  });

  it('shows a connection written elsewhere at once (vault/changed), without a reload', async function () {
    const { vault } = await vaultWith('Production', [
      { name: 'Mail relay', type: 'smtp', plain: { host: 'smtp.example.test', from: 'flows@example.test' }, secret: { password: MAIL_PASSWORD } },
    ]);
    await openVaultPage();
    await page.waitForSelector(`.nr-vault-vault[data-vault="${vault.id}"]`);
    const put = await client.putItem(vault, { name: 'Written elsewhere', type: 'api-key', secret: { key: ELSEWHERE_KEY } });
    assert.equal(put.status, 200);
    await page.waitForSelector(`.nr-vault-item[data-item="${put.id}"][data-status="ready"]`);
    assert.equal(await page.textContent(`.nr-vault-item[data-item="${put.id}"] .nr-vault-item-name`), 'Written elsewhere');
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-notification').length === 0);
    await screenshot(page, 'vault-page');
    assertStayedSecret([ELSEWHERE_KEY]);
  });

  it('deletes a connection after a confirmation that says how many nodes use it', async function () {
    const { vault, ids: [apiKeyId, xssId] } = await vaultWith('Deletions', [
      { name: 'Partner API', type: 'api-key', secret: { key: API_KEY } },
      { name: XSS_NAME, type: 'login' },
    ]);
    await openVaultPage();
    // One Get Item node in the workspace uses the API key.
    await page.evaluate(([tab, id, item]) => RED.view.importNodes([
      { id: 'e2evaultcfg', type: 'vault', name: 'Deletions', vaultId: id },
      { id: 'e2egetkey', type: 'vault-get-item', z: tab, name: '', vault: 'e2evaultcfg', item, mode: 'item', property: 'payload', x: 390, y: 320, wires: [[]] },
    ], { generateIds: false, touchImport: true }), ['e2etab', vault.id, apiKeyId]);
    await page.waitForSelector('[id="e2egetkey"] .red-ui-flow-node');

    await page.click(`.nr-vault-item[data-item="${apiKeyId}"] .nr-vault-delete`);
    const usage = await page.waitForSelector('.nr-vault-usage');
    assert.equal(await usage.getAttribute('data-count'), '1');
    assert.match((await usage.textContent())!, /^1 node in this workspace uses it/);
    await page.click('.nr-vault-ui-dialog button:has-text("Cancel")');
    await page.waitForSelector('.nr-vault-usage', { state: 'detached' });

    await page.click(`.nr-vault-item[data-item="${xssId}"] .nr-vault-delete`);
    assert.equal(await (await page.waitForSelector('.nr-vault-usage')).getAttribute('data-count'), '0');
    await page.click('#nr-vault-delete-go');
    await page.waitForSelector(`.nr-vault-item[data-item="${xssId}"]`, { state: 'detached' });
    const items = (await api('GET', `vault/vaults/${vault.id}/items`)).body as { id: string }[];
    assert.equal(items.some((i) => i.id === xssId), false);
    assert.equal(items.some((i) => i.id === apiKeyId), true);
  });
});

/** Drag a wire from a node's output port to another node's input port, as a person does. */
async function wire(page: Page, from: string, to: string): Promise<void> {
  const out = await page.waitForSelector(`[id="${from}"] .red-ui-flow-port-output .red-ui-flow-port`);
  const inp = await page.waitForSelector(`[id="${to}"] .red-ui-flow-port-input .red-ui-flow-port`);
  const a = (await out.boundingBox())!;
  const b = (await inp.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** The background colour of a connection's status badge on the Vault page, once it shows `status`. */
async function badgeColour(page: Page, itemId: string, status: string): Promise<string> {
  const selector = `.nr-vault-item[data-item="${itemId}"] .nr-vault-status[data-status="${status}"]`;
  // The list redraws on every change: read the colour from whatever element is there now.
  const handle = await page.waitForFunction((sel) => {
    const b = document.querySelector(sel);
    return b ? getComputedStyle(b).backgroundColor : undefined;
  }, selector);
  return (await handle.jsonValue()) as string;
}
