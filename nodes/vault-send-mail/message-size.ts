import type { Attachment, SendMailOptions } from 'nodemailer';
import { VaultError } from '../../credentials';

/** Default cap on a message's content (body and attachments, before encoding): most providers refuse more. */
export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/** settings.js `vault: { mail: { maxMessageBytes } }`, or the default when absent or not a positive number. */
export function maxMessageBytes(vaultSettings: unknown): number {
  const mail = typeof vaultSettings === 'object' && vaultSettings !== null ? (vaultSettings as { mail?: unknown }).mail : undefined;
  const max = typeof mail === 'object' && mail !== null ? (mail as { maxMessageBytes?: unknown }).maxMessageBytes : undefined;
  return typeof max === 'number' && Number.isFinite(max) && max > 0 ? max : DEFAULT_MAX_MESSAGE_BYTES;
}

function size(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Buffer.isBuffer(v)) return v.length;
  return 0;
}

/** Refuses a message whose text, HTML and attachments together exceed `max` bytes: `message_too_large`. */
export function checkMessageSize(mail: SendMailOptions, max: number): void {
  let total = size(mail.text) + size(mail.html);
  for (const a of (mail.attachments ?? []) as Attachment[]) total += size(a.content);
  if (total > max) {
    throw new VaultError('message_too_large', `The message is ${total} bytes, more than the ${max} bytes Send Mail sends `
      + '(settings.js vault.mail.maxMessageBytes).');
  }
}
