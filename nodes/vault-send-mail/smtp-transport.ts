import { createTransport, type SendMailOptions, type SMTPTransportOptions } from 'nodemailer';
import { VaultError, quote } from '../../credentials';
import { mailError, redact } from './send-mail-errors';

/** The fields of an `smtp` connection, parsed. */
export interface SmtpConnection {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (usually port 465); otherwise STARTTLS. */
  secure: boolean;
  username: string;
  password: string;
  from: string;
}

export interface SendSettings {
  /** Waiting for the TCP connection and for the server's greeting. */
  connectTimeoutMs: number;
  /** The whole send, from connecting to the server's answer to the message. */
  sendTimeoutMs: number;
  /** Check the server's certificate (off only for servers with a self-signed certificate). */
  tlsVerify: boolean;
}

export interface SentMail {
  messageId: string;
  response: string;
  accepted: string[];
  rejected: string[];
}

export function smtpConnection(fields: Record<string, string>): SmtpConnection {
  const secure = fields.secure === 'true';
  const portText = fields.port?.trim() || (secure ? '465' : '587');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new VaultError('incomplete_connection', `The SMTP connection's port ${quote(portText)} is not a port number.`);
  }
  return {
    host: fields.host ?? '',
    port,
    secure,
    username: fields.username ?? '',
    password: fields.password ?? '',
    from: fields.from ?? '',
  };
}

export function transportOptions(conn: SmtpConnection, settings: SendSettings): SMTPTransportOptions {
  const auth = conn.username !== '' ? { user: conn.username, pass: conn.password } : undefined;
  return {
    host: conn.host,
    port: conn.port,
    secure: conn.secure,
    auth,
    // A password never crosses the network in clear: without implicit TLS, STARTTLS is required.
    requireTLS: !conn.secure && auth !== undefined,
    tls: { rejectUnauthorized: settings.tlsVerify },
    connectionTimeout: settings.connectTimeoutMs,
    greetingTimeout: settings.connectTimeoutMs,
    // Idle longer than the whole send: the send timeout (an abort) always comes first.
    socketTimeout: settings.sendTimeoutMs + 5000,
    // Content comes from the message only: nodemailer never opens a file or fetches a URL (attachments.ts).
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  };
}

/**
 * Sends one message on a connection of its own (so a changed connection applies to the next
 * message). The send timeout aborts the send, which also closes the connection.
 */
export async function sendMail(conn: SmtpConnection, mail: SendMailOptions, settings: SendSettings): Promise<SentMail> {
  const transport = createTransport(transportOptions(conn, settings));
  const signal = AbortSignal.timeout(settings.sendTimeoutMs);
  try {
    const info = await transport.sendMail({ ...mail, signal });
    return {
      messageId: info.messageId,
      // The server's own text: scrubbed like its error replies.
      response: redact(String(info.response ?? ''), conn),
      accepted: info.accepted.map(String),
      rejected: info.rejected.map(String),
    };
  } catch (e) {
    if (signal.aborted) {
      throw new VaultError('timeout', `Sending through ${conn.host}:${conn.port} took longer than the send timeout (${settings.sendTimeoutMs / 1000} s).`);
    }
    throw mailError(e, conn);
  } finally {
    transport.close();
  }
}
