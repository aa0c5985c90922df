import type { NodemailerError } from 'nodemailer';
import { VaultError, isVaultError, scrubSecrets, type VaultErrorCode } from '../../credentials';

/** Where a failed send went: enough to name the server and to scrub the credentials from any text. */
export interface MailServer {
  host: string;
  port: number;
  username: string;
  password: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY']);
const AUTH_CODES = new Set(['EAUTH', 'ENOAUTH']);
const MAX_RESPONSE = 200;

/**
 * Turns whatever nodemailer threw into a VaultError a person can act on. The nodemailer error is not
 * kept as `cause` (Node-RED's Catch node copies a cause into the message, and nodemailer's errors
 * carry the SMTP command and response); the server's answer is quoted with the credentials scrubbed.
 */
export function mailError(e: unknown, server: MailServer): VaultError {
  if (isVaultError(e)) return e;
  const err: NodemailerError = e instanceof Error ? e : new Error(String(e));
  const where = `${server.host}:${server.port}`;
  const reply = err.response ? ` The server said: ${redact(err.response, server).slice(0, MAX_RESPONSE)}` : '';
  const code = err.code ?? '';
  const fail = (c: VaultErrorCode, text: string) => new VaultError(c, text + reply, { detail: mailDetail(err) });

  if (AUTH_CODES.has(code)) {
    return fail('auth_failed', `The SMTP server ${where} refused the login of ${JSON.stringify(server.username)}: check the connection's username and password.`);
  }
  if (CONNECTION_CODES.has(code)) {
    return fail('connection_failed', `Could not talk to the SMTP server ${where}: ${connectionReason(err)}.`);
  }
  if (code === 'EENVELOPE' || (err.responseCode !== undefined && err.responseCode >= 500)) {
    const who = err.rejected?.length ? ` (${err.rejected.join(', ')})` : '';
    return fail('rejected', `The SMTP server ${where} rejected the message${who}.`);
  }
  return fail('send_failed', `Sending through the SMTP server ${where} failed (${code || 'unknown error'}).`);
}

function connectionReason(err: NodemailerError): string {
  const low = err.originalCode ?? err.code;
  if (low === 'ECONNREFUSED') return 'the connection was refused (is the host and port right?)';
  if (low === 'ENOTFOUND' || err.code === 'EDNS') return 'the host name was not found';
  if (err.code === 'ETIMEDOUT') return 'no answer within the connect timeout';
  if (/certificate/i.test(err.message)) return "its TLS certificate is not trusted (untick 'check server certificate' only for a self-signed one)";
  if (err.code === 'ETLS' || /STARTTLS/i.test(err.message)) return 'TLS could not be set up (the server must offer STARTTLS or implicit TLS before a password is sent)';
  return low ?? 'the connection failed';
}

/** Non-secret facts for machines: nodemailer's code and the SMTP reply code. */
function mailDetail(err: NodemailerError): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  if (err.code) detail.smtpCode = err.code;
  if (err.responseCode !== undefined) detail.responseCode = err.responseCode;
  return detail;
}

/**
 * Removes the password from a server's text in every form it crossed the wire in: as typed (and
 * URL-encoded), base64 (AUTH LOGIN) and inside an AUTH PLAIN token (credentials/scrub-secrets.ts).
 */
export function redact(text: string, server: Pick<MailServer, 'username' | 'password'>): string {
  if (server.password === '') return text;
  return scrubSecrets(text, {
    secrets: [server.password],
    base64Of: [`\0${server.username}\0${server.password}`, `${server.username}\0${server.username}\0${server.password}`],
  });
}
