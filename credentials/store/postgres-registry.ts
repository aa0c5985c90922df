import { Client } from 'pg';
import { VaultError } from '../errors';
import { describeTarget, resolveOptions, type PostgresStoreOptions } from './postgres-config';
import { errorCode, storeUnavailable } from './postgres-errors';
import { ident } from './postgres-migrations';
import { approvalsFromRows, selectApprovals, type ApprovalRow } from './postgres-approvals';
import { RUNTIME_COLUMNS, VAULT_COLUMNS, runtimeFromRow, vaultFromRow, type RuntimeRow, type VaultRow } from './postgres-rows';
import type { RuntimeApproval, RuntimeRegistration, VaultRecord } from './records';
import type { Parsed } from './record-shapes';

/**
 * The runtimes registered in a PostgreSQL store, read with one short connection: for the CLI
 * (`nr-vault fleet --from-store`), which must neither create the schema nor LISTEN.
 */
export async function listRegisteredRuntimes(options: PostgresStoreOptions): Promise<RuntimeRegistration[]> {
  return (await readRegistry(options, false)).runtimes;
}

/** What `nr-vault fleet --from-store` needs from a store: its runtimes, its vaults and the approvals. */
export interface StoreRegistry {
  runtimes: RuntimeRegistration[];
  vaults: VaultRecord[];
  /** Untrusted: the reader verifies each one with the vault's signing key before it seals anything. */
  approvals: RuntimeApproval[];
}

export function readStoreRegistry(options: PostgresStoreOptions): Promise<StoreRegistry> {
  return readRegistry(options, true);
}

async function readRegistry(options: PostgresStoreOptions, full: boolean): Promise<StoreRegistry> {
  const o = resolveOptions(options);
  const target = describeTarget(o.connectionString);
  const s = ident(o.schema);
  const client = new Client({
    connectionString: o.connectionString, connectionTimeoutMillis: o.connectTimeoutMs,
    statement_timeout: o.statementTimeoutMs, query_timeout: o.statementTimeoutMs + 2_000, application_name: 'nr-vault/cli',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<RuntimeRow>(`SELECT ${RUNTIME_COLUMNS} FROM ${s}.runtimes ORDER BY name, id`);
    // Rows are untrusted (the store is writable): a malformed one is left out.
    const registry: StoreRegistry = { runtimes: wellFormed(rows.map(runtimeFromRow)), vaults: [], approvals: [] };
    if (!full) return registry;
    registry.vaults = wellFormed((await client.query<VaultRow>(`SELECT ${VAULT_COLUMNS} FROM ${s}.vaults ORDER BY created_at, id`)).rows.map(vaultFromRow));
    const { sql, params } = selectApprovals(s);
    try {
      registry.approvals = approvalsFromRows((await client.query<ApprovalRow>(sql, params)).rows);
    } catch (e) {
      // A schema that no runtime of this version has migrated yet has no approvals: none verify.
      if (errorCode(e) !== '42P01') throw e;
    }
    return registry;
  } catch (e) {
    if (errorCode(e) === '42P01' || errorCode(e) === '3F000') {
      throw new VaultError('not_found', `The PostgreSQL store at ${target} has no vault schema "${o.schema}": no runtime has used it yet, or it uses another schema.`);
    }
    throw storeUnavailable(e, target);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function wellFormed<T>(parsed: Parsed<T>[]): T[] {
  return parsed.flatMap((p) => (p.ok ? [p.record] : []));
}
