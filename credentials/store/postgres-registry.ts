import { Client } from 'pg';
import { VaultError } from '../errors';
import { describeTarget, resolveOptions, type PostgresStoreOptions } from './postgres-config';
import { errorCode, storeUnavailable } from './postgres-errors';
import { ident } from './postgres-migrations';
import { RUNTIME_COLUMNS, runtimeFromRow, type RuntimeRow } from './postgres-rows';
import type { RuntimeRegistration } from './records';

/**
 * The runtimes registered in a PostgreSQL store, read with one short connection: for the CLI
 * (`nr-vault fleet --from-store`), which must neither create the schema nor LISTEN.
 */
export async function listRegisteredRuntimes(options: PostgresStoreOptions): Promise<RuntimeRegistration[]> {
  const o = resolveOptions(options);
  const target = describeTarget(o.connectionString);
  const client = new Client({
    connectionString: o.connectionString, connectionTimeoutMillis: o.connectTimeoutMs,
    statement_timeout: o.statementTimeoutMs, query_timeout: o.statementTimeoutMs + 2_000, application_name: 'nr-vault/cli',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<RuntimeRow>(`SELECT ${RUNTIME_COLUMNS} FROM ${ident(o.schema)}.runtimes ORDER BY name, id`);
    return rows.map(runtimeFromRow);
  } catch (e) {
    if (errorCode(e) === '42P01' || errorCode(e) === '3F000') {
      throw new VaultError('not_found', `The PostgreSQL store at ${target} has no vault schema "${o.schema}": no runtime has used it yet, or it uses another schema.`);
    }
    throw storeUnavailable(e, target);
  } finally {
    await client.end().catch(() => undefined);
  }
}
