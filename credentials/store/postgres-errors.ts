import { VaultError } from '../errors';

/** A pg or socket error's code (a SQLSTATE such as `57P01`, or `ECONNREFUSED`), if it has one. */
export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : '';
}

const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was lost',
  EPIPE: 'the connection was lost',
  ETIMEDOUT: 'connecting timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
};

const SQLSTATE_REASONS: Record<string, string> = {
  '57P01': 'the server closed the connection',
  '57P02': 'the server is restarting',
  '57P03': 'the server is not accepting connections yet',
  '53300': 'the server has too many connections',
  '57014': 'a statement took too long and was cancelled',
  '55P03': 'a lock wait took too long',
  '28000': 'the server refused the login',
  '28P01': 'the server refused the password',
  '3D000': 'the database does not exist',
  '40001': 'a concurrent transaction got in the way',
  '40P01': 'a concurrent transaction got in the way',
};

/**
 * The connection was found dead (closed by the server, reset, refused): a read may be tried once
 * more on a fresh one. Timeouts are not: trying again would only double the wait.
 */
export function isConnectionLoss(e: unknown): boolean {
  const code = errorCode(e);
  if (code !== undefined && code !== 'ETIMEDOUT' && (code in SOCKET_REASONS || code.startsWith('08') || code.startsWith('57P'))) return true;
  return /Connection terminated(?! due to connection timeout)|not queryable/i.test(messageOf(e));
}

/** A SQL error on a healthy connection, which can be used again (not a broken or timed-out one). */
export function isStatementError(e: unknown): boolean {
  const code = errorCode(e);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) && !isConnectionLoss(e);
}

function reasonOf(e: unknown): string {
  const code = errorCode(e);
  if (code !== undefined && SQLSTATE_REASONS[code]) return SQLSTATE_REASONS[code];
  if (code !== undefined && SOCKET_REASONS[code]) return SOCKET_REASONS[code];
  if (code?.startsWith('08')) return 'the connection failed';
  const message = messageOf(e);
  if (/timeout exceeded when trying to connect|due to connection timeout|timeout expired/i.test(message)) return 'connecting timed out';
  if (/Query read timeout/i.test(message)) return 'the server did not answer in time';
  if (/Connection terminated|not queryable/i.test(message)) return 'the connection was lost';
  return code === undefined ? 'an unexpected database error' : `an unexpected database error (SQLSTATE ${code})`;
}

/**
 * What a caller sees when PostgreSQL fails: `store_unavailable` with a reason a person can act on.
 * The pg error is kept as `cause` for logs; its text (which may quote SQL) is never the message.
 * A VaultError (conflict, not_found, ...) passes through unchanged.
 */
export function storeUnavailable(e: unknown, target: string): VaultError {
  if (e instanceof VaultError) return e;
  return new VaultError(
    'store_unavailable',
    `The vault store (PostgreSQL at ${target}) is unavailable: ${reasonOf(e)}. The runtime reconnects by itself; check that PostgreSQL is running and reachable, then try again.`,
    { cause: e },
  );
}
