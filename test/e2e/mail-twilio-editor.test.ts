/// <reference lib="dom" />
import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import { newId, sodiumReady } from '../../credentials';
import { launchChromium, openEditor, recordTraffic, screenshot, type SentTraffic } from '../helpers/browser';
import { filesUnder } from '../helpers/canary';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault, VaultTestClient } from '../helpers/vault-client';

// Send Mail and Twilio in the editor: their dialogs offer only connections of their type, `+` adds
// one, and a Twilio auth token typed in the browser reaches Twilio (a local fake) from the deployed
// flow, and nowhere else in clear.
const ADMIN = { username: 'admin', password: 'e2e-mail-admin-password', permissions: '*' };
const ACCOUNT_SID = 'AC00112233445566778899aabbccddeeff';
const TYPED_TOKEN = 'canary-typed-twilio-token-3e9d71';

declare const RED: { nodes: { node(id: string): Record<string, any> | null; dirty(): boolean } };

describe('editor end to end: Send Mail and Twilio dialogs (real Node-RED, Chromium)', function () {
  this.timeout(180_000);
  let twilio: FakeTwilio;
  let nr: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let sent: SentTraffic;
  let client: VaultTestClient;
  let vault: TestVault;
  const ids = { mail: '', oldTwilio: '', other: '' };

  before(async function () {
    await sodiumReady();
    twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: TYPED_TOKEN });
    const vaultId = newId();
    nr = await startNodeRed({
      users: [ADMIN],
      logLevel: 'warn',
      settings: { editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } } },
      flows: [
        { id: 'mttab', type: 'tab', label: 'Mail and SMS', disabled: false, info: '' },
        { id: 'mtvault', type: 'vault', name: 'Ops', vaultId },
        { id: 'mtmail', type: 'vault-send-mail', z: 'mttab', vault: 'mtvault', item: '', x: 400, y: 80, wires: [[]] },
        { id: 'mtinject', type: 'inject', z: 'mttab', name: 'alert', props: [{ p: 'payload' }], payload: 'Pump 3 stopped', payloadType: 'str', repeat: '', once: false, x: 140, y: 180, wires: [['mtsms']] },
        { id: 'mtsms', type: 'vault-twilio', z: 'mttab', vault: 'mtvault', item: '', to: '+15558675310', channel: 'sms', baseUrl: twilio.baseUrl, onLocked: 'fail', waitSeconds: 30, timeout: 30, x: 400, y: 180, wires: [[]] },
      ],
    });
    client = nr.client(await nr.token(ADMIN));
    vault = await client.createVault('Ops', vaultId);
    ids.mail = (await client.putItem(vault, { name: 'Mail A', type: 'smtp', plain: { host: 'smtp.example.test', from: 'ops@example.test', username: 'ops' }, secret: { password: 'x' } })).id;
    ids.oldTwilio = (await client.putItem(vault, { name: 'Old Twilio', type: 'twilio', plain: { accountSid: ACCOUNT_SID, from: '+15005550001' }, secret: { authToken: 'old-token' } })).id;
    ids.other = (await client.putItem(vault, { name: 'Partner API', type: 'api-key', secret: { key: 'k' } })).id;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    sent = recordTraffic(page);
    page.setDefaultTimeout(60_000);
    await openEditor(page, nr.url, ADMIN);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, `failed-${this.currentTest.title.slice(0, 40).replace(/[^A-Za-z0-9]+/g, '-')}`).catch(() => undefined);
    }
  });

  after(async function () {
    await browser?.close().catch(() => undefined);
    await nr?.stop();
    await twilio?.close();
  });

  const optionValues = (selector: string) => page.$$eval(`${selector} option`, (os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));

  it('Send Mail offers only SMTP connections and saves the one picked', async function () {
    await page.dblclick('[id="mtmail"] .red-ui-flow-node');
    await page.waitForSelector(`#node-input-item-selector option[value="${ids.mail}"]`, { state: 'attached' });
    assert.deepEqual(await optionValues('#node-input-item-selector'), [ids.mail]);
    await page.selectOption('#node-input-item-selector select', ids.mail);
    assert.equal(await page.inputValue('#node-input-item'), ids.mail);
    await screenshot(page, 'send-mail-dialog');
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    assert.equal(await page.evaluate(() => RED.nodes.node('mtmail')!.item), ids.mail);
  });

  it('Twilio offers only Twilio connections; + adds one (type fixed to Twilio) and selects it; deployed, it sends with the typed token', async function () {
    await page.dblclick('[id="mtsms"] .red-ui-flow-node');
    await page.waitForSelector(`#node-input-item-selector option[value="${ids.oldTwilio}"]`, { state: 'attached' });
    assert.deepEqual(await optionValues('#node-input-item-selector'), [ids.oldTwilio]);

    await page.click('#node-input-item-selector .nr-vault-selector-add');
    await page.waitForSelector('#nr-vault-conn-type');
    assert.deepEqual(await page.$$eval('#nr-vault-conn-type option', (os) => os.map((o) => (o as HTMLOptionElement).value)), ['twilio']);
    await page.fill('#nr-vault-conn-name', 'Twilio from the editor');
    await page.fill('#nr-vault-field-accountSid', ACCOUNT_SID);
    await page.fill('#nr-vault-field-from', '+15005550006');
    await page.fill('#nr-vault-field-authToken', TYPED_TOKEN);
    await page.click('#nr-vault-conn-save');
    await page.waitForFunction((old) => {
      const v = (document.getElementById('node-input-item') as HTMLInputElement).value;
      return v !== '' && v !== old;
    }, ids.oldTwilio);
    const added = await page.inputValue('#node-input-item');
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    assert.equal(await page.evaluate(() => RED.nodes.node('mtsms')!.item), added);

    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction(() => !RED.nodes.dirty());
    assert.equal((await client.unlock(vault)).status, 200);
    await page.click('[id="mtinject"] .red-ui-flow-node-button-button');

    const req = await twilio.request(0);
    assert.equal(req.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    assert.equal(req.basicPassword, TYPED_TOKEN);
    assert.deepEqual(req.form, [['To', '+15558675310'], ['From', '+15005550006'], ['Body', 'Pump 3 stopped']]);
  });

  it('the typed token went from the browser only sealed, and is in no file and no log line of the runtime', async function () {
    for (const r of sent.requests) assert.ok(!r.url.includes(TYPED_TOKEN) && !r.body.includes(TYPED_TOKEN), `${r.method} ${r.url}`);
    for (const f of sent.frames) assert.ok(!f.includes(TYPED_TOKEN), 'a websocket frame');
    for (const f of filesUnder(nr.userDir).filter((file) => !file.path.includes('node_modules'))) {
      assert.ok(!f.content.includes(TYPED_TOKEN), f.path);
    }
    assert.ok(!nr.log.includes(TYPED_TOKEN), 'the Node-RED log');
  });
});
