import type { ClientBase } from 'pg';
import { VaultError } from '../errors';
import { advisoryKey } from './postgres-lock-key';

interface Migration {
  version: number;
  name: string;
  /** Statements, given the quoted schema. Never edit a released migration: add the next one. */
  statements(s: string): string[];
}

// Timestamps the records carry (createdAt, updatedAt) are kept as the exact text the records
// give, so a record reads back byte for byte; lastSeen is the database's own clock.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'vaults, items and runtimes',
    statements: (s) => [
      `CREATE TABLE ${s}.vaults (
        id text PRIMARY KEY, name text NOT NULL, share text NOT NULL, public_key text NOT NULL,
        created_at text NOT NULL)`,
      `CREATE TABLE ${s}.items (
        vault text NOT NULL REFERENCES ${s}.vaults (id) ON DELETE CASCADE, id text NOT NULL,
        name text NOT NULL, type text NOT NULL, plain jsonb NOT NULL, secret jsonb NOT NULL,
        version integer NOT NULL CHECK (version > 0), updated_at text NOT NULL, state text,
        PRIMARY KEY (vault, id))`,
      `CREATE TABLE ${s}.runtimes (
        id text PRIMARY KEY, name text NOT NULL, public_key text NOT NULL, fingerprint text NOT NULL,
        admin_url text, last_seen timestamptz NOT NULL)`,
    ],
  },
  {
    version: 2,
    name: 'runtime approvals',
    // One approval per vault and runtime (PROTOCOL.md, "Runtime approvals"); no reference to
    // runtimes: the registry is untrusted anyway, and a reader verifies every approval it uses.
    statements: (s) => [
      `CREATE TABLE ${s}.approvals (
        vault text NOT NULL REFERENCES ${s}.vaults (id) ON DELETE CASCADE, runtime text NOT NULL,
        public_key text NOT NULL, sig text NOT NULL, approved_at text NOT NULL,
        PRIMARY KEY (vault, runtime))`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The schema name as a quoted SQL identifier (the name's form is checked in postgres-config). */
export function ident(schema: string): string {
  return `"${schema}"`;
}

/**
 * Bring the schema to SCHEMA_VERSION in one transaction. A transaction-level advisory lock makes
 * runtimes that start together take turns: the first migrates, the others find it done.
 */
export async function migrate(client: ClientBase, schema: string): Promise<void> {
  const s = ident(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey(schema, 'migrate')]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.migrations`);
    const current = rows[0]?.v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new VaultError(
        'store_unavailable',
        `The vault store schema "${schema}" is at version ${current}, newer than this runtime knows (${SCHEMA_VERSION}): update @nr-vault/node-red-vault here too.`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      for (const sql of m.statements(s)) await client.query(sql);
      await client.query(`INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
