import { VaultError, quote } from '../../credentials';
import { twilioError } from './twilio-errors';
import type { TwilioMessageRequest } from './twilio-message';

export const DEFAULT_TWILIO_BASE_URL = 'https://api.twilio.com';

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
}

export interface TwilioClientSettings {
  /** Twilio's API root: the default, a regional endpoint, or a local server in tests. */
  baseUrl: string;
  timeoutMs: number;
}

/** What Twilio answers for a created message (the fields a flow is likely to use). */
export interface TwilioMessage {
  sid: string;
  status: string;
  to?: string;
  from?: string;
  numSegments?: string;
  dateCreated?: string;
}

/** Checks and normalises the base URL setting: http(s), no path, query or credentials. */
export function twilioBaseUrl(value: string): string {
  const text = value.trim() === '' ? DEFAULT_TWILIO_BASE_URL : value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VaultError('invalid_message', `The Twilio API base URL ${quote(text)} is not a URL.`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) {
    throw new VaultError('invalid_message', `The Twilio API base URL ${quote(text)} must be a plain http(s) URL such as ${DEFAULT_TWILIO_BASE_URL}.`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP Basic auth and a form body. */
export async function sendTwilioMessage(account: TwilioAccount, request: TwilioMessageRequest, settings: TwilioClientSettings): Promise<TwilioMessage> {
  const url = `${twilioBaseUrl(settings.baseUrl)}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`;
  const form = new URLSearchParams({ To: request.to, From: request.from });
  if (request.body !== '') form.append('Body', request.body);
  for (const media of request.mediaUrl) form.append('MediaUrl', media);
  if (request.statusCallback) form.append('StatusCallback', request.statusCallback);

  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`,
        accept: 'application/json',
      },
      body: form,
      // Never follow a redirect: it would carry the credentials somewhere else.
      redirect: 'error',
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    throw networkError(e, url, settings.timeoutMs);
  }
  if (res.status < 200 || res.status > 299) throw twilioError(res.status, text, account);
  return messageFrom(text);
}

function messageFrom(text: string): TwilioMessage {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new VaultError('twilio_error', 'Twilio accepted the request but its answer is not JSON.');
  }
  if (typeof v?.sid !== 'string') throw new VaultError('twilio_error', 'Twilio accepted the request but its answer has no message SID.');
  const str = (k: string) => (typeof v[k] === 'string' || typeof v[k] === 'number' ? String(v[k]) : undefined);
  return {
    sid: v.sid,
    status: str('status') ?? 'unknown',
    to: str('to'),
    from: str('from'),
    numSegments: str('num_segments'),
    dateCreated: str('date_created'),
  };
}

function networkError(e: unknown, url: string, timeoutMs: number): VaultError {
  const name = e instanceof Error ? e.name : '';
  const host = new URL(url).host;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new VaultError('timeout', `Twilio (${host}) did not answer within ${timeoutMs / 1000} s.`);
  }
  const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : e instanceof Error ? e.message : String(e);
  return new VaultError('connection_failed', `Could not reach Twilio at ${host} (${code}).`);
}
