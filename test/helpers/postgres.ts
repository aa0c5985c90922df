import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresStore, type PostgresStoreOptions } from '../../credentials/store/postgres-store';

/** The shared test database. Every test uses a schema of its own, dropped afterwards. */
export const PG_URL = process.env.NR_VAULT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Schemas named here and not dropped yet: a safety net drops them when the test run ends. */
const undropped = new Set<string>();

/** A fresh schema name: other engineers and CI use the same database at the same time. */
export function randomSchema(): string {
  const schema = `nrv_t_${randomBytes(6).toString('hex')}`;
  undropped.add(schema);
  return schema;
}

// Under mocha (not in the bench), a root hook drops what a failed test left behind.
if (typeof after === 'function') {
  after(async () => {
    for (const schema of [...undropped]) await dropSchema(schema).catch(() => undefined);
  });
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export function dropSchema(schema: string): Promise<void> {
  return withAdmin(async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    undropped.delete(schema);
  });
}

/** Kill every backend the stores on `schema` hold (pool, lock and LISTEN connections); returns how many. */
export function terminateBackends(schema: string): Promise<number> {
  return withAdmin(async (c) => {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
      [`nr-vault/${schema}`],
    );
    for (const { pid } of rows) await c.query('SELECT pg_terminate_backend($1)', [pid]);
    return rows.length;
  });
}

export function sql<R extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return withAdmin(async (c) => (await c.query<R>(text, params)).rows);
}

/** Stores on one fresh schema, as if each were another runtime; all closed and the schema dropped after. */
export function sharedSchema(url = PG_URL) {
  const schema = randomSchema();
  const stores: PostgresStore[] = [];
  return {
    schema,
    async open(options: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
      const s = new PostgresStore({ connectionString: url, schema, ...options });
      stores.push(s);
      await s.open();
      return s;
    },
    async cleanup(): Promise<void> {
      await Promise.all(stores.map((s) => s.close()));
      await dropSchema(schema);
    },
  };
}

