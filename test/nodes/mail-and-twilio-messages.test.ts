import assert from 'node:assert/strict';
import { mailFromMessage, DEFAULT_SUBJECT } from '../../nodes/vault-send-mail/mail-message';
import { mailError, redact } from '../../nodes/vault-send-mail/send-mail-errors';
import { smtpConnection } from '../../nodes/vault-send-mail/smtp-transport';
import { twilioBaseUrl } from '../../nodes/vault-twilio/twilio-client';
import { twilioError } from '../../nodes/vault-twilio/twilio-errors';
import { twilioRequestFromMessage } from '../../nodes/vault-twilio/twilio-message';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'no error';
};

describe('Send Mail: building the message and naming failures (no network)', () => {
  it('a Buffer payload is an attachment named msg.filename, msg.description the body', () => {
    const mail = mailFromMessage({ to: 'a@x.test', payload: Buffer.from('PDF'), filename: 'r.pdf', description: 'see attached' }, { from: 'f@x.test' });
    assert.deepEqual(mail.attachments, [{ filename: 'r.pdf', content: Buffer.from('PDF') }]);
    assert.equal(mail.text, 'see attached');
    assert.equal(mail.subject, DEFAULT_SUBJECT);
    assert.equal(mail.from, 'f@x.test');
  });

  it('attachment content may be a Buffer after a JSON round trip; unknown keys are dropped; href and raw are refused', () => {
    const mail = mailFromMessage(
      { to: 'a@x.test', payload: 'x', attachments: [{ filename: 'a.txt', content: { type: 'Buffer', data: [104, 105] }, size: 2 }] },
      { from: 'f@x.test' },
    );
    assert.deepEqual(mail.attachments, [{ filename: 'a.txt', content: Buffer.from('hi') }]);
    for (const extra of [{ href: 'http://169.254.169.254/' }, { raw: 'X' }]) {
      const attachments = [{ filename: 'a.txt', content: 'hi', ...extra }];
      assert.equal(code(() => mailFromMessage({ to: 'a@x.test', payload: 'x', attachments }, { from: 'f@x.test' })), 'attachment_refused');
    }
  });

  it('no recipient, a bad address list or a bad attachment is invalid_message', () => {
    assert.equal(code(() => mailFromMessage({ payload: 'x' }, { from: 'f@x.test' })), 'invalid_message');
    assert.equal(code(() => mailFromMessage({ to: 42, payload: 'x' }, { from: 'f@x.test' })), 'invalid_message');
    assert.equal(code(() => mailFromMessage({ to: 'a@x.test', attachments: ['x'] }, { from: 'f@x.test' })), 'invalid_message');
    assert.equal(code(() => mailFromMessage({ to: 'a@x.test', attachments: [{ filename: 'x' }] }, { from: 'f@x.test' })), 'invalid_message');
    assert.equal(mailFromMessage({ payload: 'x' }, { from: 'f@x.test', to: 'node@x.test' }).to, 'node@x.test');
  });

  it('the port defaults to 587 (465 with implicit TLS); a port that is not a number is incomplete_connection', () => {
    assert.equal(smtpConnection({ host: 'h', from: 'f' }).port, 587);
    assert.equal(smtpConnection({ host: 'h', from: 'f', secure: 'true' }).port, 465);
    assert.equal(code(() => smtpConnection({ host: 'h', from: 'f', port: 'smtp' })), 'incomplete_connection');
  });

  it('maps nodemailer codes: EAUTH auth_failed, ETIMEDOUT/ESOCKET/ECONNECTION connection_failed, EENVELOPE and 5xx rejected, others send_failed', () => {
    const server = { host: 'mail.test', port: 587, username: 'u', password: 'pw' };
    const err = (props: Record<string, unknown>) => Object.assign(new Error('x'), props);
    assert.equal(mailError(err({ code: 'EAUTH', responseCode: 535 }), server).code, 'auth_failed');
    for (const c of ['ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'EDNS', 'ETLS']) assert.equal(mailError(err({ code: c }), server).code, 'connection_failed');
    assert.equal(mailError(err({ code: 'EENVELOPE' }), server).code, 'rejected');
    assert.equal(mailError(err({ code: 'EMESSAGE', responseCode: 554 }), server).code, 'rejected');
    assert.equal(mailError(err({ code: 'EMESSAGE', responseCode: 451 }), server).code, 'send_failed');
  });

  it("a server's answer is quoted with the password scrubbed, as typed, in base64 and as an AUTH PLAIN token", () => {
    const server = { host: 'mail.test', port: 587, username: 'u', password: 's3cret' };
    const plain = Buffer.from('\0u\0s3cret').toString('base64');
    const e = mailError(Object.assign(new Error('x'), { code: 'EAUTH', response: `535 bad s3cret ${Buffer.from('s3cret').toString('base64')} ${plain}` }), server);
    assert.equal(e.message.includes('s3cret'), false);
    assert.equal(e.message.includes(plain), false);
    assert.match(e.message, /535 bad \[redacted\] \[redacted\] \[redacted\]/);
    assert.equal(redact('nothing here', server), 'nothing here');
  });
});

describe('Twilio: building the request and reading errors (no network)', () => {
  const defaults = { from: '+15005550006', channel: 'sms' as const };

  it('a whatsapp: recipient makes the sender whatsapp: too, even on the SMS channel', () => {
    const r = twilioRequestFromMessage({ to: 'whatsapp:+15558675310', payload: 'hi' }, defaults);
    assert.equal(r.to, 'whatsapp:+15558675310');
    assert.equal(r.from, 'whatsapp:+15005550006');
  });

  it('no recipient, an empty message, a body over 1600 characters or a non-http media URL is invalid_message', () => {
    assert.equal(code(() => twilioRequestFromMessage({ payload: 'hi' }, defaults)), 'invalid_message');
    assert.equal(code(() => twilioRequestFromMessage({ to: '+15558675310', payload: '' }, defaults)), 'invalid_message');
    assert.equal(code(() => twilioRequestFromMessage({ to: '+15558675310', payload: 'x'.repeat(1601) }, defaults)), 'invalid_message');
    assert.equal(code(() => twilioRequestFromMessage({ to: '+15558675310', payload: 'x', mediaUrl: 'file:///etc/passwd' }, defaults)), 'invalid_message');
    assert.deepEqual(twilioRequestFromMessage({ to: '+15558675310', mediaUrl: 'https://x.test/a.png' }, defaults).mediaUrl, ['https://x.test/a.png']);
  });

  it('the base URL must be a plain http(s) URL; a trailing slash is dropped', () => {
    assert.equal(twilioBaseUrl(''), 'https://api.twilio.com');
    assert.equal(twilioBaseUrl('https://api.dublin.ie1.twilio.com/'), 'https://api.dublin.ie1.twilio.com');
    assert.equal(code(() => twilioBaseUrl('ftp://x.test')), 'invalid_message');
    assert.equal(code(() => twilioBaseUrl('https://user:pw@x.test')), 'invalid_message');
  });

  it("Twilio's error JSON becomes twilio_error (auth_failed for 401) with Twilio's code in detail and cause; a body that is not JSON still names the status", () => {
    const e = twilioError(400, JSON.stringify({ code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 }), { accountSid: 'AC1', authToken: 'tok' });
    assert.equal(e.code, 'twilio_error');
    assert.equal(e.detail?.twilioCode, 21610);
    assert.deepEqual(e.cause, { code: 21610, message: 'Attempt to send to unsubscribed recipient', moreInfo: 'https://www.twilio.com/docs/errors/21610', status: 400 });
    assert.equal(twilioError(401, '{"code":20003,"message":"Authenticate"}', { accountSid: 'AC1', authToken: '' }).code, 'auth_failed');
    assert.equal(twilioError(502, '<html>Bad gateway</html>', { accountSid: 'AC1', authToken: '' }).message, 'Twilio refused the message. Twilio answered HTTP 502.');
    assert.equal(twilioError(400, '{"code":1,"message":"echo tok"}', { accountSid: 'AC1', authToken: 'tok' }).message.includes('tok'), false);
  });
});
