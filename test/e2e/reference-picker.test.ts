import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatReference, newId, sodiumReady } from '../../credentials';
import { launchChromium, openEditor, screenshot, showSidebarTab } from '../helpers/browser';
import { Mosquitto } from '../helpers/mosquitto';
import { requireFromNodeRed, startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';
import { sleep, waitFor } from '../helpers/wait';

interface MqttClient {
  on(event: 'message', fn: (topic: string, payload: Buffer) => void): void;
  subscribe(topic: string): void;
  publish(topic: string, payload: string): void;
  endAsync(): Promise<void>;
}
const mqtt = requireFromNodeRed<{ connectAsync(url: string, opts: Record<string, unknown>): Promise<MqttClient> }>('mqtt');

/** Opens a config node's edit dialog as its pencil button in a node's dialog does. */
async function editConfig(page: Page, type: string, id: string): Promise<void> {
  await page.evaluate(([t, i]) => (globalThis as unknown as { RED: { editor: { editConfig(n: string, t: string, i: string): void } } }).RED.editor.editConfig('', t, i), [type, id]);
  await page.waitForSelector('#node-config-input-broker', { state: 'visible' });
}

/**
 * Issue 14 item 5: the vault button beside the password of Node-RED's own mqtt-broker dialog picks a
 * connection, writes the reference, shows the connection's name instead of ids (also after a deploy
 * and a new dialog, when the password field holds only Node-RED's stand-in), flags a missing one,
 * and the deployed broker connects to a real Mosquitto with the vault's password.
 */
describe('vault references in the editor: the picker in the core mqtt-broker dialog (real Node-RED, Chromium)', function () {
  this.timeout(240_000);
  const password = `picked-${randomBytes(8).toString('hex')}`;
  let broker: Mosquitto;
  let tester: MqttClient;
  let nr: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let vault: TestVault;
  let itemId = '';
  const pongs: string[] = [];

  before(async () => {
    await sodiumReady();
    broker = await Mosquitto.start({ flow: password, tester: 'tester-pass' });
    tester = await mqtt.connectAsync(broker.url, { username: 'tester', password: 'tester-pass', reconnectPeriod: 200 });
    tester.on('message', (_t, p) => pongs.push(p.toString()));
    tester.subscribe('refs/pong');
    nr = await startNodeRed({ settings: { credentialSecret: false } });
    const client = nr.client();
    vault = await client.createVault('Picker vault');
    itemId = newId();
    const put = await client.putItem(vault, { id: itemId, name: 'Mosquitto login', type: 'login', plain: { username: 'flow' }, secret: { password } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await client.unlock(vault)).status, 200);
    await nr.deployFlows([
      { id: 'tab1', type: 'tab', label: 'picker' },
      { id: 'broker1', type: 'mqtt-broker', name: 'picked broker', broker: '127.0.0.1', port: String(broker.port), clientid: '', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '15', cleansession: true, birthTopic: '', closeTopic: '', willTopic: '' },
      { id: 'min1', type: 'mqtt in', z: 'tab1', x: 150, y: 100, topic: 'refs/ping', qos: '0', datatype: 'utf8', broker: 'broker1', nl: false, rap: true, rh: 0, inputs: 0, wires: [['mout1']] },
      { id: 'mout1', type: 'mqtt out', z: 'tab1', x: 350, y: 100, topic: 'refs/pong', qos: '0', retain: 'false', broker: 'broker1', wires: [] },
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openEditor(page, nr.url);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, 'reference-picker-failure').catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    await nr?.stop();
    await tester?.endAsync();
    await broker?.stop();
  });

  it('picks vault → connection → field beside the password, shows the connection by name, and the deployed broker connects with it', async () => {
    await editConfig(page, 'mqtt-broker', 'broker1');
    await page.click('#red-ui-tab-mqtt-broker-tab-security a');
    await page.fill('#node-config-input-user', 'flow');
    await page.click('button.nr-vault-ref-button[data-for="node-config-input-password"]');
    await page.waitForSelector(`#nr-vault-ref-item option[value="${itemId}"]`, { state: 'attached' });
    await page.selectOption('#nr-vault-ref-item', itemId);
    assert.equal(await page.inputValue('#nr-vault-ref-field'), 'password');
    // A person takes a while: the dialog's own redraws after it was built are over by then.
    await sleep(2_000);
    await page.click('#nr-vault-ref-use');
    const reference = formatReference({ vault: vault.id, item: itemId, field: 'password' });
    assert.equal(await page.inputValue('#node-config-input-password'), reference);
    await page.waitForSelector('.nr-vault-ref-info[data-for="node-config-input-password"] .nr-vault-ref-name');
    assert.equal(await page.textContent('.nr-vault-ref-info[data-for="node-config-input-password"] .nr-vault-ref-name'), 'Mosquitto login');

    const connections = broker.connectionsAs('flow').length;
    await page.click('#node-config-dialog-ok');
    await page.click('#red-ui-header-button-deploy');
    await waitFor('the broker to connect with the picked password', () => broker.connectionsAs('flow').length > connections, 30_000, 100);
    const payload = `picked-${randomBytes(3).toString('hex')}`;
    await waitFor('a round trip through mqtt in and out', () => {
      tester.publish('refs/ping', payload);
      return pongs.includes(payload);
    }, 30_000, 200);
    const creds = readFileSync(join(nr.userDir, 'flows_cred.json'), 'utf8');
    assert.ok(creds.includes(reference), 'flows_cred.json holds the reference');
    assert.ok(!creds.includes(password) && !readFileSync(join(nr.userDir, 'flows.json'), 'utf8').includes(password));
  });

  it('the Vault page shows which nodes reference the connection', async () => {
    await showSidebarTab(page, 'nr-vault');
    const usedBy = `.nr-vault-vault[data-vault="${vault.id}"] .nr-vault-item[data-item="${itemId}"] .nr-vault-used-by:not([hidden])`;
    await page.waitForSelector(usedBy, { timeout: 20_000 });
    assert.equal(await page.textContent(usedBy), 'used by 1');
    assert.match((await page.getAttribute(usedBy, 'title')) ?? '', /^mqtt-broker: picked broker$/);
  });

  it('a new dialog names the connection although the password field holds only Node-RED\'s stand-in', async () => {
    await editConfig(page, 'mqtt-broker', 'broker1');
    await page.click('#red-ui-tab-mqtt-broker-tab-security a');
    await waitFor('the stored password stand-in', async () => (await page.inputValue('#node-config-input-password')) === '__PWRD__', 10_000);
    await page.waitForSelector('.nr-vault-ref-info[data-for="node-config-input-password"] .nr-vault-ref-name', { timeout: 10_000 });
    assert.equal(await page.textContent('.nr-vault-ref-info[data-for="node-config-input-password"] .nr-vault-ref-name'), 'Mosquitto login');
  });

  it('flags a reference to a missing connection or field before the deploy', async () => {
    await page.fill('#node-config-input-password', formatReference({ vault: vault.id, item: newId(), field: 'password' }));
    await page.waitForSelector('.nr-vault-ref-info.nr-vault-ref-missing[data-for="node-config-input-password"]');
    assert.match(await page.textContent('.nr-vault-ref-info[data-for="node-config-input-password"]') ?? '', /no such connection/);
    await page.fill('#node-config-input-password', formatReference({ vault: vault.id, item: itemId, field: 'nofield' }));
    await waitFor('the missing field flag', async () => /has no field "nofield"/.test(await page.textContent('.nr-vault-ref-info[data-for="node-config-input-password"]') ?? ''), 10_000);
    await page.click('#node-config-dialog-cancel');
  });
});
