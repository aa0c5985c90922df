import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId, sodiumReady } from '../../credentials';
import { sendMail } from '../../nodes/vault-send-mail/smtp-transport';
import { text } from '../helpers/canary';
import { catchNode, helper, Inbox, sendMailNode, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp-test-server';

const PASSWORD = 'canary-smtp-file-access-Pw!';
const USER = 'flows@example.test';
const MAX_BYTES = 64 * 1024;

/**
 * Issue 11, High 5: a flow that maps request fields into msg.attachments let anyone who could call
 * it mail <userDir>/nr-vault-runtime-key.json (or /dev/zero, 998 MB). Content now comes from the
 * message only, and a message is capped in size.
 */
describe('nodes: Send Mail never reads a file or a URL, and caps the message size', function () {
  this.timeout(30_000);
  const ctx = useNodeRed({ vault: { mail: { maxMessageBytes: MAX_BYTES } } });
  let smtp: SmtpTestServer;

  before(() => sodiumReady());
  beforeEach(async () => {
    smtp = await startSmtpServer({ users: { [USER]: PASSWORD } });
  });
  afterEach(() => smtp.close());

  async function deploy() {
    const vaultId = newId();
    const itemId = newId();
    await helper.load([vaultNode, sendMailNode, catchNode], [
      { id: 'tab', type: 'tab', label: 'mail' },
      { id: 'v', type: 'vault', name: 'Mail vault', vaultId },
      { id: 'mail', type: 'vault-send-mail', z: 'tab', vault: 'v', item: itemId, onLocked: 'fail', tlsVerify: false, connectTimeout: 5, sendTimeout: 20, wires: [['out']] },
      { id: 'out', type: 'helper', z: 'tab' },
      { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'tab' },
    ]);
    const vault = await ctx.client.createVault('Mail vault', vaultId);
    const put = await ctx.client.putItem(vault, {
      id: itemId, name: 'Mail server', type: 'smtp',
      plain: { host: '127.0.0.1', port: String(smtp.port), secure: 'false', username: USER, from: 'flows@example.test' },
      secret: { password: PASSWORD },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    return { mail: helper.getNode('mail'), inbox: new Inbox({ out: helper.getNode('out'), caught: helper.getNode('caught') }) };
  }

  async function run(nodes: { mail: any; inbox: Inbox }, msg: Record<string, unknown>): Promise<{ sent?: any; caught?: any }> {
    const outcome = nodes.inbox.next();
    nodes.mail.receive(msg);
    const { from, msg: got } = await outcome;
    return from === 'out' ? { sent: got } : { caught: got };
  }

  it('refuses an attachment with path to the runtime key file: attachment_refused, nothing reaches the server', async () => {
    const nodes = await deploy();
    const keyFile = join(ctx.userDir, 'nr-vault-runtime-key.json');
    const key = JSON.parse(readFileSync(keyFile, 'utf8')) as Record<string, unknown>;
    const { sent, caught } = await run(nodes, { to: 'attacker@example.test', payload: 'report', attachments: [{ filename: 'report.txt', path: keyFile }] });
    assert.equal(sent, undefined);
    assert.equal(caught.error.code, 'attachment_refused', text(caught.error));
    assert.match(caught.error.message, /attachments\[0\]\.path is refused/);
    assert.equal(smtp.connections, 0);
    assert.equal(smtp.mails.length, 0);
    for (const v of Object.values(key)) if (typeof v === 'string' && v.length > 16) assert.ok(!text(caught).includes(v));
  });

  it('refuses path /dev/zero, an href and raw, also as a single attachment object', async () => {
    const nodes = await deploy();
    for (const attachments of [{ path: '/dev/zero' }, [{ filename: 'x', href: `file://${ctx.userDir}/nr-vault-runtime-key.json` }],
      [{ content: 'ok' }, { raw: 'Content-Type: text/plain\r\n\r\nraw' }], [{ filename: 'x', content: 'a', path: '/etc/passwd' }]]) {
      const { caught } = await run(nodes, { to: 'attacker@example.test', payload: 'x', attachments });
      assert.equal(caught?.error.code, 'attachment_refused', JSON.stringify(attachments));
    }
    assert.equal(smtp.connections, 0);
  });

  it('still sends content from the message: a string and a Buffer', async () => {
    const nodes = await deploy();
    const { caught } = await run(nodes, {
      to: 'alice@example.test', payload: 'two files',
      attachments: [{ filename: 'a.txt', content: 'alpha' }, { filename: 'b.bin', content: Buffer.from('bravo') }],
    });
    assert.equal(caught, undefined, text(caught?.error));
    const mail = await smtp.nextMail();
    assert.ok(mail.raw.includes(Buffer.from('alpha').toString('base64')));
    assert.ok(mail.raw.includes(Buffer.from('bravo').toString('base64')));
  });

  it('refuses a message larger than vault.mail.maxMessageBytes: message_too_large, nothing sent', async () => {
    const nodes = await deploy();
    const big = Buffer.alloc(MAX_BYTES + 1, 0x41);
    const { caught } = await run(nodes, { to: 'alice@example.test', payload: 'big', attachments: [{ filename: 'big.bin', content: big }] });
    assert.equal(caught?.error.code, 'message_too_large');
    const asPayload = await run(nodes, { to: 'alice@example.test', payload: big });
    assert.equal(asPayload.caught?.error.code, 'message_too_large');
    assert.equal(smtp.connections, 0);
  });

  it('the transport itself refuses file and URL access (nodemailer disableFileAccess/disableUrlAccess)', async () => {
    const conn = { host: '127.0.0.1', port: smtp.port, secure: false, username: USER, password: PASSWORD, from: 'flows@example.test' };
    const settings = { connectTimeoutMs: 5000, sendTimeoutMs: 20_000, tlsVerify: false };
    for (const attachment of [{ filename: 'k', path: '/etc/hostname' }, { filename: 'u', path: `http://127.0.0.1:${smtp.port}/` }]) {
      await assert.rejects(sendMail(conn, { from: conn.from, to: 'a@example.test', text: 'x', attachments: [attachment] }, settings));
    }
    assert.equal(smtp.mails.length, 0);
  });
});
