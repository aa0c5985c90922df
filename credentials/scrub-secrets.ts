import { Buffer } from 'node:buffer';

/**
 * Text that comes from a remote server (a token endpoint's error_description, an SMTP reply, a
 * Twilio error message) may echo what it was sent: the client secret in the form body, the
 * Authorization header, an AUTH PLAIN token. Before such text is put into an error, a status or the
 * log, every known secret is removed from it in each form it could have travelled in.
 */
export interface SentSecrets {
  /** Values sent as they are, in a form body (URL-encoded) or a header. */
  secrets: readonly (string | undefined)[];
  /** user:password pairs sent as HTTP Basic authentication (base64 of "user:pass", as sent). */
  basicPairs?: readonly (readonly [string, string])[];
  /** Any other exact strings whose base64 crossed the wire (e.g. SMTP AUTH PLAIN "\0user\0pass"). */
  base64Of?: readonly string[];
}

export const REDACTED = '[redacted]';

/**
 * Every form the secrets can appear in, longest first (a short form can be part of a longer one):
 * each value and its base64 (standard, unpadded, url-safe), and each of those again URL-encoded
 * (both hex cases), form-encoded and JSON-escaped.
 */
export function sentSecretForms(sent: SentSecrets): string[] {
  const base: string[] = [];
  const addBase64 = (raw: string) => {
    const b64 = Buffer.from(raw).toString('base64');
    base.push(b64, b64.replace(/=+$/, ''), Buffer.from(raw).toString('base64url'));
  };
  for (const s of sent.secrets) {
    if (s === undefined || s === '') continue;
    base.push(s);
    addBase64(s);
  }
  for (const [user, pass] of sent.basicPairs ?? []) if (pass !== '') addBase64(`${user}:${pass}`);
  for (const raw of sent.base64Of ?? []) if (raw !== '') addBase64(raw);
  const forms = new Set<string>();
  const lowerHex = (t: string) => t.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
  for (const b of base) {
    const uri = encodeURIComponent(b);
    const form = new URLSearchParams({ v: b }).toString().slice(2);
    for (const f of [b, uri, lowerHex(uri), form, lowerHex(form), JSON.stringify(b).slice(1, -1)]) forms.add(f);
  }
  forms.delete('');
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every form of the sent secrets replaced by "[redacted]". */
export function scrubSecrets(text: string, sent: SentSecrets | readonly string[]): string {
  const forms = Array.isArray(sent) ? (sent as readonly string[]) : sentSecretForms(sent as SentSecrets);
  let out = text;
  for (const f of forms) if (f !== '' && out.includes(f)) out = out.split(f).join(REDACTED);
  return out;
}
