import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { scrubSecrets, sentSecretForms } from '../../credentials';
import { requestToken } from '../../credentials/oauth/token-request';
import { sendMail } from '../../nodes/vault-send-mail/smtp-transport';
import { sendTwilioMessage } from '../../nodes/vault-twilio/twilio-client';
import { text } from '../helpers/canary';
import { startHostileServer } from '../helpers/hostile-http';
import { selfSignedCertificate } from '../helpers/self-signed-cert';

// Characters that URL-encoding and base64 change, so each form differs from the plain one.
const SECRET = 'canary-scrub/s3cr3t+=&% é~';
const CLIENT_ID = 'client id/1';

/** Every way the canary could show up in text a server echoed: as typed, URL- and form-encoded, base64. */
function leakForms(secret: string, ...pairs: [string, string][]): string[] {
  const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2),
    Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
  for (const [u, p] of pairs) forms.push(Buffer.from(`${u}:${p}`).toString('base64'));
  return forms;
}

function assertNoLeak(what: string, value: unknown, forms: string[]): void {
  const all = text(value);
  for (const f of forms) assert.ok(!all.includes(f), `${what} contains ${JSON.stringify(f)}:\n${all}`);
}

/** Issue 11, Medium 10: text from a remote server that echoes the request is scrubbed of every secret sent. */
describe('scrub-secrets: remote text never carries a secret the request sent', function () {
  this.timeout(30_000);

  it('removes plain, URL-encoded (either hex case), form-encoded, JSON-escaped and base64 forms, and Basic pairs', () => {
    const forms = sentSecretForms({ secrets: [SECRET], basicPairs: [['AC1', SECRET]] });
    const echoed = [SECRET, encodeURIComponent(SECRET), encodeURIComponent(SECRET).toLowerCase(),
      new URLSearchParams({ s: SECRET }).toString(), Buffer.from(SECRET).toString('base64'), Buffer.from(`AC1:${SECRET}`).toString('base64'),
      Buffer.from(SECRET).toString('base64url'), JSON.stringify(SECRET)].join(' | ');
    const out = scrubSecrets(`server said: ${echoed}`, forms);
    assertNoLeak('scrubbed text', out, leakForms(SECRET, ['AC1', SECRET]));
    assert.match(out, /^server said: \[redacted\]/);
    assert.equal(scrubSecrets('nothing to hide', forms), 'nothing to hide');
  });

  for (const authMethod of ['client_secret_post', 'client_secret_basic'] as const) {
    it(`OAuth (${authMethod}): an error_description that echoes the body and the Authorization header is scrubbed`, async () => {
      const server = await startHostileServer((req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_request', error_description: `bad request ${req.body} auth=${req.headers.authorization ?? ''}` }));
      });
      try {
        const err = await requestToken({
          endpoint: new URL(`${server.url}/token`), clientId: CLIENT_ID, clientSecret: SECRET, authMethod,
          params: { grant_type: 'refresh_token', refresh_token: `${SECRET}-refresh` }, timeoutMs: 5000,
        }).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof Error);
        assert.equal((err as { code?: string }).code, 'token_error');
        assert.match(err.message, /bad request .*\[redacted\]/, 'the description is kept, scrubbed');
        const formId = new URLSearchParams({ v: CLIENT_ID }).toString().slice(2);
        const formSecret = new URLSearchParams({ v: SECRET }).toString().slice(2);
        assertNoLeak('token error', err, [...leakForms(SECRET, [CLIENT_ID, SECRET], [formId, formSecret]), ...leakForms(`${SECRET}-refresh`)]);
        assert.ok(server.requests[0].body.includes(formSecret) || server.requests[0].headers.authorization, 'the secret did go to the server');
      } finally {
        await server.close();
      }
    });
  }

  it('Twilio: an error message that echoes the Authorization header (base64 of sid:token) and the token is scrubbed', async () => {
    const server = await startHostileServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      const auth = req.headers.authorization ?? '';
      res.end(JSON.stringify({ code: 20001, message: `Invalid header ${auth}; token ${SECRET}`, more_info: `https://x.test/?h=${encodeURIComponent(auth)}`, status: 400 }));
    });
    try {
      const account = { accountSid: 'ACcanary', authToken: SECRET };
      const err = await sendTwilioMessage(account, { to: '+15550001111', from: '+15550002222', body: 'hi', mediaUrl: [] }, { baseUrl: server.url, timeoutMs: 5000 })
        .then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof Error);
      assert.equal((err as { code?: string }).code, 'twilio_error');
      assert.match(err.message, /Invalid header Basic \[redacted\]/);
      assertNoLeak('Twilio error', err, [...leakForms(SECRET, ['ACcanary', SECRET]), encodeURIComponent(Buffer.from(`ACcanary:${SECRET}`).toString('base64'))]);
    } finally {
      await server.close();
    }
  });

  it('SMTP: a server reply that echoes the password, its base64 and the AUTH PLAIN token is scrubbed', async () => {
    const { key, cert } = selfSignedCertificate();
    const user = 'mailer@example.test';
    const smtp = new SMTPServer({
      key, cert, authMethods: ['PLAIN'], logger: false,
      onAuth(auth, _session, cb) {
        const plain = Buffer.from(`\0${auth.username}\0${auth.password}`).toString('base64');
        cb(Object.assign(new Error(`no ${auth.password} ${Buffer.from(auth.password ?? '').toString('base64')} ${plain}`), { responseCode: 535 }));
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const err = await sendMail(
        { host: '127.0.0.1', port, secure: false, username: user, password: SECRET, from: user },
        { from: user, to: 'a@example.test', text: 'x' },
        { connectTimeoutMs: 5000, sendTimeoutMs: 10_000, tlsVerify: false },
      ).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof Error);
      assert.equal((err as { code?: string }).code, 'auth_failed');
      assert.match(err.message, /535 no \[redacted\] \[redacted\] \[redacted\]/);
      assertNoLeak('SMTP error', err, [...leakForms(SECRET), Buffer.from(`\0${user}\0${SECRET}`).toString('base64')]);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
