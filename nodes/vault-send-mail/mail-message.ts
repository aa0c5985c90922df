import type { Attachment, SendMailOptions } from 'nodemailer';
import { VaultError, quote } from '../../credentials';
import { messageAttachments } from './attachments';

/**
 * Builds nodemailer's message from a Node-RED message, with the fields Node-RED users know from
 * the core e-mail node: msg.to, cc, bcc, replyTo, topic (subject), payload (text, HTML, or a
 * Buffer sent as an attachment), attachments, and msg.from over the connection's From.
 */
export interface MailDefaults {
  /** The connection's From address. */
  from: string;
  /** The node's own recipients, used when the message has no msg.to. */
  to?: string;
}

export const DEFAULT_SUBJECT = 'Message from Node-RED';

export function mailFromMessage(msg: Record<string, unknown>, defaults: MailDefaults): SendMailOptions {
  const to = addresses(msg.to, 'to') ?? addresses(defaults.to, 'to');
  const cc = addresses(msg.cc, 'cc');
  const bcc = addresses(msg.bcc, 'bcc');
  if (!to && !cc && !bcc) {
    throw new VaultError('invalid_message', 'The message has no recipient: set msg.to (or To in the node), msg.cc or msg.bcc.');
  }
  const from = typeof msg.from === 'string' && msg.from.trim() !== '' ? msg.from.trim() : defaults.from;
  const mail: SendMailOptions = { from, subject: subject(msg), attachments: messageAttachments(msg.attachments) };
  if (to) mail.to = to;
  if (cc) mail.cc = cc;
  if (bcc) mail.bcc = bcc;
  const replyTo = addresses(msg.replyTo, 'replyTo');
  if (replyTo) mail.replyTo = replyTo;
  if (typeof msg.inReplyTo === 'string') mail.inReplyTo = msg.inReplyTo;
  if (typeof msg.references === 'string' || isStringArray(msg.references)) mail.references = msg.references;
  if (msg.priority === 'high' || msg.priority === 'normal' || msg.priority === 'low') mail.priority = msg.priority;
  addBody(mail, msg);
  return mail;
}

function subject(msg: Record<string, unknown>): string {
  if (typeof msg.topic === 'string' && msg.topic !== '') return msg.topic;
  if (typeof msg.topic === 'number') return String(msg.topic);
  return DEFAULT_SUBJECT;
}

/** A payload with HTML tags is sent as HTML (msg.plaintext, if any, as its text part); a Buffer as an attachment. */
function addBody(mail: SendMailOptions, msg: Record<string, unknown>): void {
  const payload = msg.payload;
  if (Buffer.isBuffer(payload)) {
    const filename = typeof msg.filename === 'string' && msg.filename !== '' ? msg.filename : 'attachment.bin';
    (mail.attachments as Attachment[]).unshift({ filename, content: payload });
    mail.text = typeof msg.description === 'string' ? msg.description : '';
    return;
  }
  const text = payload === undefined || payload === null ? '' : typeof payload === 'object' ? JSON.stringify(payload) : String(payload);
  if (/<[a-z][\s\S]*>/i.test(text)) {
    mail.html = text;
    if (typeof msg.plaintext === 'string') mail.text = msg.plaintext;
  } else {
    mail.text = text;
  }
}

/** An address list: a string ("a@x, b@y") or an array of strings; undefined when empty. */
function addresses(value: unknown, name: string): string | string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (isStringArray(value)) return value.length === 0 ? undefined : value;
  throw new VaultError('invalid_message', `msg.${name} must be an address or a list of addresses, not ${quote(value)}.`);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
