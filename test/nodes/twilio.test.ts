import assert from 'node:assert/strict';
import { newId, sodiumReady } from '../../credentials';
import { assertCanaryAbsent, secretForms, text } from '../helpers/canary';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { catchNode, helper, Inbox, lastStatus, twilioNode, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import type { TestVault } from '../helpers/vault-client';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'canary-twilio-5b8e2d04-token';
const FROM = '+15005550006';

describe('nodes: Twilio (vault-twilio) against a local server that answers as Twilio does', function () {
  this.timeout(30_000);
  const ctx = useNodeRed();
  let twilio: FakeTwilio;
  let vault: TestVault;
  let itemId: string;

  before(() => sodiumReady());
  beforeEach(async () => {
    twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterEach(() => twilio.close());

  const connection = (token = AUTH_TOKEN) => ({ plain: { accountSid: ACCOUNT_SID, from: FROM }, secret: { authToken: token } });

  async function deploy(conn: { plain: Record<string, string>; secret: Record<string, string> }, props: Record<string, unknown> = {}) {
    const vaultId = newId();
    itemId = newId();
    await helper.load([vaultNode, twilioNode, catchNode], [
      { id: 'tab', type: 'tab', label: 'sms' },
      { id: 'v', type: 'vault', name: 'SMS vault', vaultId },
      { id: 'sms', type: 'vault-twilio', z: 'tab', vault: 'v', item: itemId, onLocked: 'fail', baseUrl: twilio.baseUrl, timeout: 10, wires: [['out']], ...props },
      { id: 'out', type: 'helper', z: 'tab' },
      { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'tab' },
    ]);
    vault = await ctx.client.createVault('SMS vault', vaultId);
    const put = await ctx.client.putItem(vault, { id: itemId, name: 'Twilio prod', type: 'twilio', ...conn });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    return { node: helper.getNode('sms'), inbox: new Inbox({ out: helper.getNode('out'), caught: helper.getNode('caught') }) };
  }

  async function run(nodes: { node: any; inbox: Inbox }, msg: Record<string, unknown>): Promise<{ sent?: any; caught?: any }> {
    const outcome = nodes.inbox.next();
    nodes.node.receive(msg);
    const { from, msg: got } = await outcome;
    return from === 'out' ? { sent: got } : { caught: got };
  }

  it('sends an SMS: the exact request Twilio expects, and the message SID and status passed on', async () => {
    const nodes = await deploy(connection(), { statusCallback: 'https://example.test/status' });
    const { sent, caught } = await run(nodes, { to: '+15558675310', payload: 'Your code is 123456', mediaUrl: ['https://example.test/a.png', 'https://example.test/b.png'] });
    assert.equal(caught, undefined, text(caught?.error));

    assert.equal(twilio.requests.length, 1);
    const req = twilio.requests[0];
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    assert.equal(req.basicUser, ACCOUNT_SID);
    assert.equal(req.basicPassword, AUTH_TOKEN);
    assert.match(req.contentType, /^application\/x-www-form-urlencoded/);
    assert.deepEqual(req.form, [
      ['To', '+15558675310'], ['From', FROM], ['Body', 'Your code is 123456'],
      ['MediaUrl', 'https://example.test/a.png'], ['MediaUrl', 'https://example.test/b.png'],
      ['StatusCallback', 'https://example.test/status'],
    ]);

    assert.match(sent.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(sent.twilio.sid, sent.sid);
    assert.equal(sent.twilio.status, 'queued');
    assert.equal(sent.twilio.to, '+15558675310');
    assert.equal(sent.payload, 'Your code is 123456', 'the message is passed on');
  });

  it('sends WhatsApp with the whatsapp: prefix on To and From', async () => {
    const nodes = await deploy(connection(), { channel: 'whatsapp' });
    const { caught } = await run(nodes, { to: '+15558675310', payload: 'Hi on WhatsApp' });
    assert.equal(caught, undefined, text(caught?.error));
    assert.deepEqual(twilio.requests[0].form, [['To', 'whatsapp:+15558675310'], ['From', `whatsapp:${FROM}`], ['Body', 'Hi on WhatsApp']]);
  });

  it("a Twilio error (400) reaches the Catch node with Twilio's code and message", async () => {
    const nodes = await deploy(connection());
    const { sent, caught } = await run(nodes, { to: '12345', payload: 'hello' });
    assert.equal(sent, undefined);
    assert.equal(caught.error.code, 'twilio_error');
    assert.equal(
      caught.error.message,
      "VaultError: Twilio refused the message. Twilio error 21211: The 'To' number 12345 is not a valid phone number. See https://www.twilio.com/docs/errors/21211",
    );
    assert.equal(caught.error.cause.code, 21211);
    assert.equal(caught.error.cause.status, 400);
    assert.equal(caught.error.source.id, 'sms');
    assert.deepEqual(lastStatus(nodes.node), { fill: 'red', shape: 'ring', text: 'twilio_error' });
  });

  it("a wrong auth token (401) is auth_failed, with Twilio's code 20003", async () => {
    const nodes = await deploy(connection('not-the-token'));
    const { caught } = await run(nodes, { to: '+15558675310', payload: 'hello' });
    assert.equal(caught.error.code, 'auth_failed');
    assert.match(caught.error.message, /refused the account SID and auth token.*Twilio error 20003: Authenticate/);
    assert.equal(caught.error.cause.code, 20003);
    assert.deepEqual(lastStatus(nodes.node), { fill: 'red', shape: 'ring', text: 'auth_failed' });
  });

  it('an empty connection sends nothing: empty_connection', async () => {
    const nodes = await deploy({ plain: {}, secret: {} });
    const { sent, caught } = await run(nodes, { to: '+15558675310', payload: 'hello' });
    assert.equal(sent, undefined);
    assert.equal(caught.error.code, 'empty_connection');
    assert.match(caught.error.message, /Connection "Twilio prod" is empty: fill it on the Vault page first\./);
    assert.equal(twilio.requests.length, 0);
  });

  it('an incomplete connection (no auth token) sends nothing: incomplete_connection', async () => {
    const nodes = await deploy({ plain: { accountSid: ACCOUNT_SID, from: FROM }, secret: {} });
    const { caught } = await run(nodes, { to: '+15558675310', payload: 'hello' });
    assert.equal(caught.error.code, 'incomplete_connection');
    assert.equal(twilio.requests.length, 0);
  });

  it('a locked vault with "when locked: fail" sends nothing: locked, as Get Item', async () => {
    const nodes = await deploy(connection());
    assert.equal((await ctx.client.lock(vault)).status, 200);
    const { caught } = await run(nodes, { to: '+15558675310', payload: 'hello' });
    assert.equal(caught.error.code, 'locked');
    assert.equal(twilio.requests.length, 0);
  });

  it('a changed auth token is used by the next message, without a deploy', async () => {
    const nodes = await deploy(connection());
    assert.equal((await run(nodes, { to: '+15558675310', payload: 'one' })).caught, undefined);
    twilio.account = { accountSid: ACCOUNT_SID, authToken: `${AUTH_TOKEN}-rotated` };
    const put = await ctx.client.putItem(vault, { id: itemId, name: 'Twilio prod', type: 'twilio', ...connection(`${AUTH_TOKEN}-rotated`) });
    assert.equal(put.status, 200);
    const { caught } = await run(nodes, { to: '+15558675310', payload: 'two' });
    assert.equal(caught, undefined, text(caught?.error));
    assert.deepEqual(twilio.requests.map((r) => r.basicPassword), [AUTH_TOKEN, `${AUTH_TOKEN}-rotated`]);
  });

  it('a server that is not there is connection_failed', async () => {
    const nodes = await deploy(connection());
    await twilio.close();
    const { caught } = await run(nodes, { to: '+15558675310', payload: 'hello' });
    assert.equal(caught.error.code, 'connection_failed');
    assert.match(caught.error.message, /Could not reach Twilio at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('the canary: the auth token appears nowhere but on the wire to Twilio', async () => {
    const nodes = await deploy(connection());
    const seen: string[] = [];
    const ok = await run(nodes, { to: '+15558675310', payload: 'hello' });
    assert.equal(ok.caught, undefined);
    seen.push(text(ok));
    const bad = await run(nodes, { to: 'not-a-number', payload: 'hello' });
    seen.push(text(bad), text(bad.caught.error));
    twilio.account = { accountSid: ACCOUNT_SID, authToken: 'another-token' };
    const refused = await run(nodes, { to: '+15558675310', payload: 'hello' });
    assert.equal(refused.caught.error.code, 'auth_failed');
    seen.push(text(refused), text(refused.caught.error));
    assert.equal(twilio.requests.filter((r) => r.basicPassword === AUTH_TOKEN).length, 3, 'the token did reach Twilio');
    assertCanaryAbsent(secretForms(AUTH_TOKEN, Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')), { userDir: ctx.userDir, helper, texts: seen });
  });
});
