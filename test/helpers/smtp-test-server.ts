import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAuthenticationMethod } from 'smtp-server';
import { selfSignedCertificate } from './self-signed-cert';

/** One message as the server received it. */
export interface ReceivedMail {
  /** The login the client used for the session. */
  auth?: { method: SMTPServerAuthenticationMethod; username: string; password: string };
  /** Whether the session was encrypted (implicit TLS or after STARTTLS) when the message arrived. */
  secure: boolean;
  mailFrom: string;
  rcptTo: string[];
  /** The message as sent (headers and body, RFC 5322). */
  raw: string;
}

export interface SmtpServerOptions {
  /** Implicit TLS from the first byte (like port 465); otherwise plain with STARTTLS. */
  secure?: boolean;
  /** Offer STARTTLS on a plain connection (default true). */
  starttls?: boolean;
  /** Methods offered for AUTH (default PLAIN and LOGIN). */
  authMethods?: SMTPServerAuthenticationMethod[];
  /** username → password the server accepts; may be changed while the server runs. */
  users: Record<string, string>;
  /** Recipients refused with 550. */
  refuse?: string[];
  /** Take the message data but never answer it (until close). */
  stallData?: boolean;
}

export interface SmtpTestServer {
  port: number;
  users: Record<string, string>;
  mails: ReceivedMail[];
  /** Every login attempt, accepted or not (passwords included: this is "the wire"). */
  logins: { method: string; username: string; password: string; accepted: boolean }[];
  /** Number of TCP sessions opened. */
  connections: number;
  nextMail(): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 with a self-signed certificate, AUTH PLAIN and
 * LOGIN (only over TLS, as real servers do), recording what it receives.
 */
export async function startSmtpServer(options: SmtpServerOptions): Promise<SmtpTestServer> {
  const { key, cert } = selfSignedCertificate();
  const waiting: ((m: ReceivedMail) => void)[] = [];
  const state: Omit<SmtpTestServer, 'port' | 'nextMail' | 'close'> = { users: options.users, mails: [], logins: [], connections: 0 };
  const logins = new Map<string, ReceivedMail['auth']>();
  let consumed = 0;
  const stalled: (() => void)[] = [];

  const server = new SMTPServer({
    secure: options.secure ?? false,
    key,
    cert,
    authMethods: options.authMethods ?? ['PLAIN', 'LOGIN'],
    hideSTARTTLS: options.starttls === false,
    disabledCommands: options.starttls === false ? ['STARTTLS'] : [],
    allowInsecureAuth: false,
    logger: false,
    onConnect(_session, cb) {
      state.connections++;
      cb();
    },
    onAuth(auth, session, cb) {
      const username = auth.username ?? '';
      const password = auth.password ?? '';
      const accepted = state.users[username] !== undefined && state.users[username] === password;
      state.logins.push({ method: auth.method, username, password, accepted });
      if (!accepted) return cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      logins.set(session.id, { method: auth.method, username, password });
      cb(null, { user: username });
    },
    onRcptTo(address, _session, cb) {
      if (options.refuse?.includes(address.address)) return cb(Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (options.stallData) {
          stalled.push(() => cb(Object.assign(new Error('Shutting down'), { responseCode: 421 })));
          return;
        }
        const mail: ReceivedMail = {
          auth: logins.get(session.id),
          secure: session.secure,
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        state.mails.push(mail);
        const next = waiting.shift();
        if (next) {
          consumed++;
          next(mail);
        }
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    nextMail: () => new Promise<ReceivedMail>((resolve) => {
      if (consumed < state.mails.length) resolve(state.mails[consumed++]);
      else waiting.push(resolve);
    }),
    close: () => {
      for (const release of stalled.splice(0)) release();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** The value of one header of a raw message (unfolded), or undefined. */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
