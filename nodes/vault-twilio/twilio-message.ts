import { VaultError, quote } from '../../credentials';

/** The form fields of one message for Twilio's Messages API. */
export interface TwilioMessageRequest {
  to: string;
  from: string;
  body: string;
  mediaUrl: string[];
  statusCallback?: string;
}

export interface TwilioMessageDefaults {
  /** The connection's From number (or sender). */
  from: string;
  /** The node's own recipient, used when the message has no msg.to. */
  to?: string;
  /** `whatsapp` adds the `whatsapp:` prefix to To and From where it is missing. */
  channel: 'sms' | 'whatsapp';
  statusCallback?: string;
}

const WHATSAPP = 'whatsapp:';
// Twilio refuses a longer Body; saying so here names the problem before anything is sent.
const MAX_BODY = 1600;

/** msg.to and msg.payload (plus msg.mediaUrl and msg.statusCallback) as a Twilio request. */
export function twilioRequestFromMessage(msg: Record<string, unknown>, defaults: TwilioMessageDefaults): TwilioMessageRequest {
  let to = typeof msg.to === 'string' && msg.to.trim() !== '' ? msg.to.trim() : (defaults.to ?? '').trim();
  if (to === '') throw new VaultError('invalid_message', 'The message has no recipient: set msg.to (or To in the node).');
  let from = defaults.from.trim();
  // A WhatsApp recipient needs a WhatsApp sender, whichever way the channel was chosen.
  if (defaults.channel === 'whatsapp' || to.startsWith(WHATSAPP)) {
    if (!to.startsWith(WHATSAPP)) to = WHATSAPP + to;
    if (!from.startsWith(WHATSAPP)) from = WHATSAPP + from;
  }
  const mediaUrl = urls(msg.mediaUrl, 'mediaUrl');
  const body = bodyText(msg.payload);
  if (body === '' && mediaUrl.length === 0) throw new VaultError('invalid_message', 'The message is empty: set msg.payload (or msg.mediaUrl).');
  if (body.length > MAX_BODY) throw new VaultError('invalid_message', `msg.payload is ${body.length} characters; Twilio takes at most ${MAX_BODY}.`);
  const callback = typeof msg.statusCallback === 'string' && msg.statusCallback !== '' ? msg.statusCallback : defaults.statusCallback;
  const statusCallback = callback ? urls(callback, 'statusCallback')[0] : undefined;
  return { to, from, body, mediaUrl, ...(statusCallback ? { statusCallback } : {}) };
}

function bodyText(payload: unknown): string {
  if (payload === undefined || payload === null) return '';
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return typeof payload === 'object' ? JSON.stringify(payload) : String(payload);
}

/** One URL or a list of them, each http(s). */
function urls(value: unknown, name: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((u) => {
    if (typeof u !== 'string' || !/^https?:\/\/\S+$/i.test(u)) throw new VaultError('invalid_message', `msg.${name} must be an http(s) URL, not ${quote(u)}.`);
    return u;
  });
}
