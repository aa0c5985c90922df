import type { Attachment } from 'nodemailer';
import { VaultError } from '../../credentials';

/**
 * msg.attachments as nodemailer attachments whose content comes from the message only: a string
 * or a Buffer. `path` (a local file), `href` (a URL) and `raw` are refused with
 * `attachment_refused`: a flow that maps request fields into msg.attachments would otherwise mail
 * any file the Node-RED process can read (its runtime key, the store, /dev/zero). Reading a file is
 * the job of Node-RED's file node before Send Mail, where the flow's author decides which file.
 */
const ALLOWED_KEYS = ['filename', 'content', 'contentType', 'encoding', 'cid', 'contentDisposition'] as const;
const REFUSED_KEYS = ['path', 'href', 'raw', 'httpHeaders'] as const;

export function messageAttachments(value: unknown): Attachment[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((a, i) => attachment(a, i));
}

function attachment(a: unknown, i: number): Attachment {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) {
    throw new VaultError('invalid_message', `msg.attachments[${i}] is not an object like { filename, content }.`);
  }
  const given = a as Record<string, unknown>;
  for (const key of REFUSED_KEYS) {
    if (given[key] !== undefined) {
      throw new VaultError('attachment_refused', `msg.attachments[${i}].${key} is refused: Send Mail never reads files or URLs. `
        + 'Read the file with a file-in node and put it in msg.attachments[].content (a string or a Buffer).');
    }
  }
  const out: Attachment = {};
  for (const key of ALLOWED_KEYS) {
    const v = given[key];
    if (v === undefined) continue;
    if (key === 'content') out.content = content(v, i);
    else if (typeof v === 'string') out[key] = v;
    else throw new VaultError('invalid_message', `msg.attachments[${i}].${key} must be a string.`);
  }
  if (out.content === undefined) throw new VaultError('invalid_message', `msg.attachments[${i}] has no content.`);
  return out;
}

/** Attachment content: a string, a Buffer, or a Buffer as it looks after a JSON round trip. */
function content(v: unknown, i: number): string | Buffer {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
  if (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    return Buffer.from((v as { data: number[] }).data);
  }
  throw new VaultError('invalid_message', `msg.attachments[${i}].content must be a string or a Buffer.`);
}
