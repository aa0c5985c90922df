import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { newId, sodiumReady } from '../../credentials';
import { assertCanaryAbsent, secretForms, text } from '../helpers/canary';
import { closedPort } from '../helpers/closed-port';
import { catchNode, helper, Inbox, lastStatus, sendMailNode, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import { header, startSmtpServer, type SmtpServerOptions, type SmtpTestServer } from '../helpers/smtp-test-server';
import type { TestVault } from '../helpers/vault-client';

const PASSWORD = 'canary-smtp-7f3a9c1e-Pw!';
const USER = 'flows@example.test';

describe('nodes: Send Mail (vault-send-mail) against a real SMTP server', function () {
  this.timeout(30_000);
  const ctx = useNodeRed();
  let smtp: SmtpTestServer | undefined;
  let vault: TestVault;
  let itemId: string;

  before(() => sodiumReady());
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  async function startServer(options: Partial<SmtpServerOptions> = {}): Promise<SmtpTestServer> {
    smtp = await startSmtpServer({ users: { [USER]: PASSWORD }, ...options });
    return smtp;
  }

  /** Loads vault → Send Mail → out, with a Catch node → caught; then creates the vault, the connection, and unlocks. */
  async function deploy(connection: { plain: Record<string, string>; secret: Record<string, string> } | 'empty', props: Record<string, unknown> = {}) {
    const vaultId = newId();
    itemId = newId();
    await helper.load([vaultNode, sendMailNode, catchNode], [
      { id: 'tab', type: 'tab', label: 'mail' },
      { id: 'v', type: 'vault', name: 'Mail vault', vaultId },
      {
        id: 'mail', type: 'vault-send-mail', z: 'tab', vault: 'v', item: itemId, onLocked: 'fail',
        tlsVerify: false, connectTimeout: 5, sendTimeout: 20, wires: [['out']], ...props,
      },
      { id: 'out', type: 'helper', z: 'tab' },
      { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'tab' },
    ]);
    vault = await ctx.client.createVault('Mail vault', vaultId);
    const item = connection === 'empty' ? { plain: {}, secret: {} } : connection;
    const put = await ctx.client.putItem(vault, { id: itemId, name: 'Mail server', type: 'smtp', ...item });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await ctx.client.unlock(vault)).status, 200);
    return { mail: helper.getNode('mail'), inbox: new Inbox({ out: helper.getNode('out'), caught: helper.getNode('caught') }) };
  }

  const smtpConnection = (port: number, extra: Record<string, string> = {}) => ({
    plain: { host: '127.0.0.1', port: String(port), secure: 'false', username: USER, from: 'Flows <flows@example.test>', ...extra },
    secret: { password: PASSWORD },
  });

  /** Sends msg and resolves with what came out: the passed-on message, or the message the Catch node got. */
  async function run(nodes: { mail: any; inbox: Inbox }, msg: Record<string, unknown>): Promise<{ sent?: any; caught?: any }> {
    const outcome = nodes.inbox.next();
    nodes.mail.receive(msg);
    const { from, msg: got } = await outcome;
    return from === 'out' ? { sent: got } : { caught: got };
  }

  it('sends over STARTTLS with AUTH PLAIN: the server gets the login, the headers, the body and an attachment', async () => {
    const server = await startServer({ authMethods: ['PLAIN'] });
    const nodes = await deploy(smtpConnection(server.port));
    const { sent, caught } = await run(nodes, {
      to: 'alice@example.test', cc: ['bob@example.test'], bcc: 'audit@example.test', replyTo: 'support@example.test',
      topic: 'Monthly report', payload: 'Hello Alice,\nthe report is attached.',
      attachments: [{ filename: 'report.csv', content: 'month,total\nmay,42\n', contentType: 'text/csv' }],
    });
    assert.equal(caught, undefined, text(caught?.error));

    const mail = await server.nextMail();
    assert.deepEqual(mail.auth, { method: 'PLAIN', username: USER, password: PASSWORD });
    assert.equal(mail.secure, true, 'STARTTLS upgraded the session before AUTH');
    assert.equal(mail.mailFrom, 'flows@example.test');
    assert.deepEqual(mail.rcptTo.sort(), ['alice@example.test', 'audit@example.test', 'bob@example.test']);
    assert.equal(header(mail.raw, 'From'), 'Flows <flows@example.test>');
    assert.equal(header(mail.raw, 'To'), 'alice@example.test');
    assert.equal(header(mail.raw, 'Cc'), 'bob@example.test');
    assert.equal(header(mail.raw, 'Bcc'), undefined, 'Bcc is not in the headers');
    assert.equal(header(mail.raw, 'Reply-To'), 'support@example.test');
    assert.equal(header(mail.raw, 'Subject'), 'Monthly report');
    assert.match(mail.raw, /Hello Alice,\r?\nthe report is attached\./);
    assert.match(mail.raw, /Content-Type: text\/csv; name=report\.csv/);
    assert.match(mail.raw, /Content-Disposition: attachment; filename=report\.csv/);
    assert.ok(mail.raw.includes(Buffer.from('month,total\nmay,42\n').toString('base64')), 'attachment content');

    assert.equal(sent.messageId, header(mail.raw, 'Message-ID'));
    assert.match(sent.response, /^250 /);
    assert.deepEqual(sent.accepted.sort(), ['alice@example.test', 'audit@example.test', 'bob@example.test']);
    assert.deepEqual(sent.rejected, []);
    assert.equal(sent.topic, 'Monthly report', 'the message is passed on');
  });

  it('sends with AUTH LOGIN; an HTML payload is sent as HTML; msg.from overrides the connection', async () => {
    const server = await startServer({ authMethods: ['LOGIN'] });
    const nodes = await deploy(smtpConnection(server.port));
    const { sent, caught } = await run(nodes, {
      to: 'alice@example.test', from: 'alerts@example.test', topic: 'Alert', payload: '<p>Disk <b>full</b></p>', plaintext: 'Disk full',
    });
    assert.equal(caught, undefined, text(caught?.error));
    const mail = await server.nextMail();
    assert.deepEqual(mail.auth, { method: 'LOGIN', username: USER, password: PASSWORD });
    assert.equal(mail.secure, true);
    assert.equal(header(mail.raw, 'From'), 'alerts@example.test');
    assert.match(mail.raw, /Content-Type: text\/html/);
    assert.match(mail.raw, /<p>Disk <b>full<\/b><\/p>/);
    assert.match(mail.raw, /Content-Type: text\/plain[^]*Disk full/);
    assert.equal(sent.messageId, header(mail.raw, 'Message-ID'));
  });

  it('sends over implicit TLS when the connection says secure', async () => {
    const server = await startServer({ secure: true });
    const nodes = await deploy(smtpConnection(server.port, { secure: 'true' }));
    const { caught } = await run(nodes, { to: 'alice@example.test', topic: 'TLS', payload: 'over TLS' });
    assert.equal(caught, undefined, text(caught?.error));
    const mail = await server.nextMail();
    assert.equal(mail.secure, true);
    assert.equal(mail.auth?.password, PASSWORD);
  });

  it('a wrong password is auth_failed: the Catch node gets the code, the status shows it, nothing is sent', async () => {
    const server = await startServer();
    server.users[USER] = 'the-real-password';
    const nodes = await deploy(smtpConnection(server.port));
    const { sent, caught } = await run(nodes, { to: 'alice@example.test', payload: 'hi' });
    assert.equal(sent, undefined);
    assert.equal(caught.error.code, 'auth_failed');
    assert.match(caught.error.message, /refused the login of "flows@example\.test": check the connection's username and password/);
    assert.deepEqual(server.mails, []);
    assert.ok(server.logins.some((l) => !l.accepted && l.password === PASSWORD), 'the password went to the server');
    assert.deepEqual(lastStatus(nodes.mail), { fill: 'red', shape: 'ring', text: 'auth_failed' });
  });

  it('a closed port is connection_failed within the connect timeout', async () => {
    const port = await closedPort();
    const nodes = await deploy(smtpConnection(port), { connectTimeout: 3 });
    const { sent, caught } = await run(nodes, { to: 'alice@example.test', payload: 'hi' });
    assert.equal(sent, undefined);
    assert.equal(caught.error.code, 'connection_failed');
    assert.match(caught.error.message, new RegExp(`Could not talk to the SMTP server 127\\.0\\.0\\.1:${port}: the connection was refused`));
  });

  it('a server that accepts the connection but never greets is connection_failed after the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // accepts, says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const nodes = await deploy(smtpConnection((silent.address() as AddressInfo).port), { connectTimeout: 1 });
      const { caught } = await run(nodes, { to: 'alice@example.test', payload: 'hi' });
      assert.equal(caught.error.code, 'connection_failed');
      assert.match(caught.error.message, /no answer within the connect timeout/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a server that takes the message but never answers it is timeout after the send timeout', async () => {
    const server = await startServer({ stallData: true });
    const nodes = await deploy(smtpConnection(server.port), { sendTimeout: 1 });
    const { caught } = await run(nodes, { to: 'alice@example.test', payload: 'hi' });
    assert.equal(caught.error.code, 'timeout');
    assert.match(caught.error.message, /took longer than the send timeout \(1 s\)/);
  });

  it('a recipient the server refuses (550) is rejected', async () => {
    const server = await startServer({ refuse: ['nobody@example.test'] });
    const nodes = await deploy(smtpConnection(server.port));
    const { caught } = await run(nodes, { to: 'nobody@example.test', payload: 'hi' });
    assert.equal(caught.error.code, 'rejected');
    assert.match(caught.error.message, /rejected the message \(nobody@example\.test\)/);
    assert.deepEqual(server.mails, []);
  });

  it('with "check server certificate" on, a self-signed certificate is connection_failed before any password is sent', async () => {
    const server = await startServer();
    const nodes = await deploy(smtpConnection(server.port), { tlsVerify: true });
    const { caught } = await run(nodes, { to: 'alice@example.test', payload: 'hi' });
    assert.equal(caught.error.code, 'connection_failed');
    assert.match(caught.error.message, /certificate is not trusted/);
    assert.deepEqual(server.logins, []);
  });

  it('a server without STARTTLS never gets the password: connection_failed', async () => {
    const server = await startServer({ starttls: false });
    const nodes = await deploy(smtpConnection(server.port));
    const { caught } = await run(nodes, { to: 'alice@example.test', payload: 'hi' });
    assert.equal(caught.error.code, 'connection_failed');
    assert.deepEqual(server.logins, []);
    assert.deepEqual(server.mails, []);
  });

  it('an empty connection is empty_connection and nothing reaches the server', async () => {
    const server = await startServer();
    const nodes = await deploy('empty');
    const { sent, caught } = await run(nodes, { to: 'alice@example.test', payload: 'hi' });
    assert.equal(sent, undefined);
    assert.equal(caught.error.code, 'empty_connection');
    assert.match(caught.error.message, /Connection "Mail server" is empty/);
    assert.equal(server.connections, 0);
  });

  it('an incomplete connection (no From) is incomplete_connection and nothing reaches the server', async () => {
    const server = await startServer();
    const conn = smtpConnection(server.port);
    const nodes = await deploy({ plain: { host: conn.plain.host, port: conn.plain.port }, secret: conn.secret });
    const { caught } = await run(nodes, { to: 'alice@example.test', payload: 'hi' });
    assert.equal(caught.error.code, 'incomplete_connection');
    assert.equal(server.connections, 0);
  });

  it('a message without a recipient is invalid_message and nothing reaches the server', async () => {
    const server = await startServer();
    const nodes = await deploy(smtpConnection(server.port));
    const { caught } = await run(nodes, { payload: 'hi' });
    assert.equal(caught.error.code, 'invalid_message');
    assert.equal(server.connections, 0);
  });

  it('a changed password is used by the next message, without a deploy', async () => {
    const server = await startServer();
    const nodes = await deploy(smtpConnection(server.port));
    assert.equal((await run(nodes, { to: 'alice@example.test', payload: 'one' })).caught, undefined);
    server.users[USER] = `${PASSWORD}-rotated`;
    const put = await ctx.client.putItem(vault, { id: itemId, name: 'Mail server', type: 'smtp', plain: smtpConnection(server.port).plain, secret: { password: `${PASSWORD}-rotated` } });
    assert.equal(put.status, 200);
    const { caught } = await run(nodes, { to: 'alice@example.test', payload: 'two' });
    assert.equal(caught, undefined, text(caught?.error));
    assert.deepEqual(server.mails.map((m) => m.auth?.password), [PASSWORD, `${PASSWORD}-rotated`]);
  });

  it('the canary: the password appears nowhere but on the wire to the SMTP server', async () => {
    const server = await startServer({ authMethods: ['PLAIN'] });
    const nodes = await deploy(smtpConnection(server.port));
    const seen: string[] = [];
    const ok = await run(nodes, { to: 'alice@example.test', topic: 'canary', payload: 'hello' });
    seen.push(text(ok));
    server.users[USER] = 'something-else';
    const failed = await run(nodes, { to: 'alice@example.test', payload: 'hello again' });
    assert.equal(failed.caught.error.code, 'auth_failed');
    seen.push(text(failed), text(failed.caught.error));
    assert.ok(server.logins.filter((l) => l.password === PASSWORD).length >= 2, 'the password did reach the server');
    assertCanaryAbsent(secretForms(PASSWORD, Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64')), { userDir: ctx.userDir, helper, texts: seen });
  });
});
