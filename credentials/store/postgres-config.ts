import { VaultError, quote } from '../errors';

/** The PostgreSQL store's settings: `vault.store` in settings.js, or NR_VAULT_PG. Times in ms. */
export interface PostgresStoreOptions {
  connectionString?: string;
  /** The schema holding the tables, made by the store itself (default `nr_vault`). */
  schema?: string;
  /** Connections for reads and writes (default 10). `withLock` holders use their own. */
  poolSize?: number;
  /** How long connecting may take before a call fails with `store_unavailable` (default 5 s). */
  connectTimeoutMs?: number;
  /** The longest one statement may run, row-lock waits included (default 10 s). */
  statementTimeoutMs?: number;
  /** How long `withLock` waits for a holder elsewhere before it fails with `timeout` (default 60 s). */
  lockWaitMs?: number;
  /** How often a registered runtime's `lastSeen` is refreshed (default 30 s). */
  heartbeatMs?: number;
  /** How often the LISTEN connection is pinged, to find a silently dead one (default 10 s). */
  listenerPingMs?: number;
  /** The longest pause between two reconnection attempts of the LISTEN connection (default 2 s). */
  reconnectMaxMs?: number;
}

export type ResolvedPostgresOptions = Required<PostgresStoreOptions> & { connectionString: string };

// Quoted into SQL as an identifier, so it is held to a strict form; short enough that the channel
// name derived from it stays within PostgreSQL's 63-byte identifiers.
const SCHEMA_FORM = /^[a-z_][a-z0-9_]{0,47}$/;

export function resolveOptions(options: PostgresStoreOptions): ResolvedPostgresOptions {
  const connectionString = options.connectionString?.trim();
  if (!connectionString) {
    throw new VaultError(
      'bad_request',
      'The PostgreSQL vault store needs a connection string: set vault.store.connectionString in settings.js, or NR_VAULT_PG.',
    );
  }
  const schema = options.schema ?? 'nr_vault';
  if (!SCHEMA_FORM.test(schema)) {
    throw new VaultError(
      'bad_request',
      `The vault store schema ${quote(schema)} is not allowed: use lower-case letters, digits and _ (at most 48, not starting with a digit).`,
    );
  }
  return {
    connectionString,
    schema,
    poolSize: options.poolSize ?? 10,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    statementTimeoutMs: options.statementTimeoutMs ?? 10_000,
    lockWaitMs: options.lockWaitMs ?? 60_000,
    heartbeatMs: options.heartbeatMs ?? 30_000,
    listenerPingMs: options.listenerPingMs ?? 10_000,
    reconnectMaxMs: options.reconnectMaxMs ?? 2_000,
  };
}

/** Where the store points, for messages: host, port and database, never the password. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
  } catch {
    return 'the configured server'; // key=value form: no safe way to pick parts out
  }
}
