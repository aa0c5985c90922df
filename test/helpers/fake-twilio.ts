import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake Twilio received it. */
export interface TwilioRequestSeen {
  method: string;
  path: string;
  contentType: string;
  /** The Basic auth user and password as decoded from the Authorization header ("the wire"). */
  basicUser?: string;
  basicPassword?: string;
  /** The form body, field by field (repeated fields keep their order). */
  form: [string, string][];
  raw: string;
}

export interface FakeTwilio {
  /** e.g. http://127.0.0.1:PORT, the node's "API base URL". */
  baseUrl: string;
  /** The account and auth token it accepts; may be changed while it runs. */
  account: { accountSid: string; authToken: string };
  requests: TwilioRequestSeen[];
  /** The request at this index (0 = the first), once it has arrived. */
  request(index: number): Promise<TwilioRequestSeen>;
  close(): Promise<void>;
}

const PHONE = /^(whatsapp:)?\+[1-9]\d{6,14}$/;

/**
 * A local HTTP server that checks a request as Twilio's Messages API does (method, path with the
 * account SID, Basic auth, form body) and answers as Twilio does: 201 with a message SID, or 4xx
 * with Twilio's error JSON { code, message, more_info, status }.
 */
export async function startFakeTwilio(account: { accountSid: string; authToken: string }): Promise<FakeTwilio> {
  const requests: TwilioRequestSeen[] = [];
  const waiters = new Map<number, (r: TwilioRequestSeen) => void>();
  const state = { account };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const seen = record(req, raw);
      requests.push(seen);
      answer(seen, state.account, res);
      waiters.get(requests.length - 1)?.(seen);
      waiters.delete(requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get account() { return state.account; },
    set account(a) { state.account = a; },
    requests,
    request: (index) => (requests[index] ? Promise.resolve(requests[index]) : new Promise((resolve) => waiters.set(index, resolve))),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function record(req: IncomingMessage, raw: string): TwilioRequestSeen {
  const auth = req.headers.authorization ?? '';
  const seen: TwilioRequestSeen = {
    method: req.method ?? '',
    path: req.url ?? '',
    contentType: req.headers['content-type'] ?? '',
    form: [...new URLSearchParams(raw).entries()],
    raw,
  };
  if (auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    seen.basicUser = decoded.slice(0, colon);
    seen.basicPassword = decoded.slice(colon + 1);
  }
  return seen;
}

function answer(seen: TwilioRequestSeen, account: { accountSid: string; authToken: string }, res: ServerResponse): void {
  const error = (status: number, code: number, message: string) =>
    send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(seen.path);
  if (seen.method !== 'POST' || !match) return error(404, 20404, `The requested resource ${seen.path} was not found`);
  if (seen.basicUser !== account.accountSid || seen.basicPassword !== account.authToken || decodeURIComponent(match[1]) !== account.accountSid) {
    return error(401, 20003, 'Authenticate');
  }
  if (!seen.contentType.startsWith('application/x-www-form-urlencoded')) return error(400, 20001, 'Invalid content type');
  const field = (name: string) => seen.form.filter(([k]) => k === name).map(([, v]) => v);
  const [to] = field('To');
  const [from] = field('From');
  const [body] = field('Body');
  if (!to) return error(400, 21604, "A 'To' phone number is required.");
  if (!from) return error(400, 21603, "A 'From' phone number is required.");
  if (!body && field('MediaUrl').length === 0) return error(400, 21602, 'Message body is required.');
  if (!PHONE.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  const sid = `SM${randomBytes(16).toString('hex')}`;
  send(res, 201, {
    sid, account_sid: account.accountSid, to, from, body: body ?? '', status: 'queued', num_segments: '1',
    direction: 'outbound-api', api_version: '2010-04-01', date_created: new Date().toUTCString(), price: null, error_code: null,
    uri: `/2010-04-01/Accounts/${account.accountSid}/Messages/${sid}.json`,
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
