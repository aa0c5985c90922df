import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReference, newId, sodiumReady } from '../../credentials';
import { filesUnder } from '../helpers/canary';
import { Mosquitto } from '../helpers/mosquitto';
import { requireFromNodeRed } from '../helpers/node-red/selected';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';
import { sleep, waitFor } from '../helpers/wait';

interface MqttClient {
  on(event: 'message', fn: (topic: string, payload: Buffer) => void): void;
  subscribe(topic: string): void;
  publish(topic: string, payload: string): void;
  endAsync(): Promise<void>;
}
// The mqtt package Node-RED's own mqtt nodes use (a dependency of the selected Node-RED).
const mqtt = requireFromNodeRed<{ connectAsync(url: string, opts: Record<string, unknown>): Promise<MqttClient> }>('mqtt');

/**
 * Issue 14: Node-RED's own mqtt-broker (its password a vault reference in the Security tab's
 * credentials) with mqtt in and mqtt out, against a real Mosquitto that checks a password file.
 */
describe('vault references: core mqtt-broker against a real Mosquitto (real Node-RED)', function () {
  this.timeout(240_000);
  const first = `mq-first-${randomBytes(8).toString('hex')}`;
  const second = `mq-second-${randomBytes(8).toString('hex')}`;
  const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-refs-mqtt-'));
  let broker: Mosquitto;
  let tester: MqttClient;
  let nr: NodeRedProcess;
  let vault: TestVault;
  let itemId = '';
  const pongs: string[] = [];
  const logs: string[] = [];

  /** Publish on refs/ping until the flow answers on refs/pong with the same payload. */
  const roundTrip = async (what: string, ms = 30_000): Promise<void> => {
    const payload = `${what}-${randomBytes(4).toString('hex')}`;
    await waitFor(`the flow to answer ${what}`, () => {
      tester.publish('refs/ping', payload);
      return pongs.includes(payload);
    }, ms, 200);
  };

  const start = () => startNodeRed({ userDir, settings: { credentialSecret: false } });

  before(async () => {
    await sodiumReady();
    broker = await Mosquitto.start({ flow: first, tester: 'tester-pass' });
    tester = await mqtt.connectAsync(broker.url, { username: 'tester', password: 'tester-pass', reconnectPeriod: 200 });
    tester.on('message', (_t, p) => pongs.push(p.toString()));
    tester.subscribe('refs/pong');
    nr = await start();
    const client = nr.client();
    vault = await client.createVault('MQTT vault');
    itemId = newId();
    const put = await client.putItem(vault, { id: itemId, name: 'Broker login', type: 'login', plain: { username: 'flow' }, secret: { password: first } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await client.unlock(vault)).status, 200);
    await nr.deployFlows([
      { id: 'tab1', type: 'tab', label: 'mqtt references' },
      {
        id: 'broker1', type: 'mqtt-broker', name: 'vault broker', broker: '127.0.0.1', port: String(broker.port), clientid: '',
        autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '15', cleansession: true,
        birthTopic: '', closeTopic: '', willTopic: '',
        credentials: { user: 'flow', password: formatReference({ vault: vault.id, item: itemId, field: 'password' }) },
      },
      { id: 'min1', type: 'mqtt in', z: 'tab1', topic: 'refs/ping', qos: '0', datatype: 'utf8', broker: 'broker1', nl: false, rap: true, rh: 0, inputs: 0, wires: [['mout1']] },
      { id: 'mout1', type: 'mqtt out', z: 'tab1', topic: 'refs/pong', qos: '0', retain: 'false', broker: 'broker1', wires: [] },
    ]);
  });

  after(async () => {
    if (nr) {
      logs.push(nr.log);
      await nr.stop();
    }
    await tester?.endAsync();
    await broker?.stop();
    rmSync(userDir, { recursive: true, force: true });
  });

  it('connects with the password from the vault; mqtt in and mqtt out work through it', async () => {
    await roundTrip('first');
    assert.ok(broker.connectionsAs('flow').length >= 1);
  });

  it('a rotated password (password file + SIGHUP, then the vault) reconnects it without a deploy', async () => {
    const connections = broker.connectionsAs('flow').length;
    await broker.setPassword('flow', second);
    const put = await nr.client().putItem(vault, { id: itemId, name: 'Broker login', type: 'login', plain: { username: 'flow' }, secret: { password: second } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    // Only the new password opens a connection now: a new connection as "flow" is the rotated one.
    await waitFor('a new connection as flow', () => broker.connectionsAs('flow').length > connections, 20_000, 50);
    await roundTrip('rotated');
  });

  it('after a restart with the vault locked: no connection attempt until the unlock, then it connects by itself', async () => {
    logs.push(nr.log);
    await nr.stop();
    await sleep(300);
    const connections = broker.connectionsAs('flow').length;
    const brokerLog = broker.output.length;
    nr = await start();
    await nr.waitForLog(/\[mqtt-broker:broker1\].*nr-vault: not started yet: it waits for the vault/, 30_000);
    assert.equal(broker.connectionsAs('flow').length, connections);
    assert.equal((await nr.client().unlock(vault)).status, 200);
    await waitFor('the broker node to connect after the unlock', () => broker.connectionsAs('flow').length > connections, 20_000, 50);
    // An attempt while locked (without the password) would be in Mosquitto's log before this connection.
    assert.doesNotMatch(broker.output.slice(brokerLog), /not authori[sz]ed/, 'no client tried a wrong password');
    assert.equal(broker.connectionsAs('flow').length, connections + 1, 'one connection, after the unlock');
    await roundTrip('after unlock');
  });

  it('Mosquitto never refused the flow; the passwords are in no file, log or admin answer', async () => {
    assert.doesNotMatch(broker.output, /not authori[sz]ed/);
    const answers: string[] = [];
    for (const path of ['flows', 'credentials/mqtt-broker/broker1']) answers.push(await (await fetch(`${nr.url}${path}`)).text());
    const places = [
      ...filesUnder(userDir).filter((f) => !f.path.includes('node_modules')).map((f) => ({ name: f.path, content: f.content })),
      ...[...logs, nr.log].map((content, i) => ({ name: `log #${i}`, content })),
      ...answers.map((content, i) => ({ name: `answer #${i}`, content })),
    ];
    for (const secret of [first, second]) {
      for (const form of [secret, Buffer.from(secret).toString('base64')]) {
        for (const p of places) assert.ok(!p.content.includes(form), `a password appears in ${p.name}`);
      }
    }
  });
});
