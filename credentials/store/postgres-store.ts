import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Pool, type PoolConfig, type QueryResultRow } from 'pg';
import { VaultError } from '../errors';
import { applyItemWrite, checkItemDelete, malformedBase, notFound } from './apply-write';
import { KeyMutex } from './key-mutex';
import { describeTarget, resolveOptions, type PostgresStoreOptions, type ResolvedPostgresOptions } from './postgres-config';
import { errorCode, isConnectionLoss, storeUnavailable } from './postgres-errors';
import { holdAdvisoryLock } from './postgres-advisory-lock';
import { Lease } from './postgres-lease';
import { ChangeListener } from './postgres-listener';
import { advisoryKey } from './postgres-lock-key';
import { ident, migrate } from './postgres-migrations';
import {
  ITEM_COLUMNS, RUNTIME_COLUMNS, VAULT_COLUMNS, itemFromRow, itemParams, runtimeFromRow, vaultFromRow,
  type ItemRow, type RuntimeRow, type VaultRow,
} from './postgres-rows';
import { UPSERT_APPROVAL, approvalParams, approvalsFromRows, selectApprovals, type ApprovalRow } from './postgres-approvals';
import type {
  ApprovalFilter, ItemRecord, ItemWrite, RuntimeApproval, RuntimeRegistration, StoreChange, VaultRecord,
} from './records';
import type { StoreHooks, VaultStore } from './vault-store';
import { parseChangeMessage, type ChangeMessage } from './change-message';
import { ProblemLog } from '../problem-log';
import { UntrustedRecords } from './untrusted-records';

export type { PostgresStoreOptions } from './postgres-config';

const MAX_KNOWN_VAULTS = 10_000;

interface Connections {
  pool: Pool;
  /** `withLock` holds a session-level advisory lock on a connection of its own for the whole of `fn`. */
  lockPool: Pool;
  listener: ChangeListener;
  heartbeat: NodeJS.Timeout;
}

/**
 * The store many runtimes share: vaults and items in PostgreSQL, written in transactions with the
 * version check; changes reach every other instance through LISTEN/NOTIFY; `withLock` is a
 * cross-process advisory lock. Like every store it keeps opaque records only.
 */
export class PostgresStore implements VaultStore {
  readonly kind = 'postgres';
  readonly options: ResolvedPostgresOptions;
  private readonly target: string;
  private readonly s: string;
  private readonly channel: string;
  /** Tells this instance's own notifications from those of others (other runtimes, or a second store here). */
  private readonly origin = randomBytes(9).toString('base64url');
  private readonly events = new EventEmitter();
  private readonly locks = new KeyMutex();
  private readonly registered = new Map<string, RuntimeRegistration>();
  /** Vault ids this instance has read or written: the caches a lost listener must invalidate. */
  private readonly knownVaults = new Set<string>();
  private conn?: Connections;
  private opening?: Promise<void>;
  private readonly problems: ProblemLog;
  private readonly records: UntrustedRecords;

  constructor(options: PostgresStoreOptions, hooks: StoreHooks = {}) {
    this.options = resolveOptions(options);
    this.target = describeTarget(this.options.connectionString);
    this.problems = new ProblemLog(hooks.warn ?? (() => undefined));
    this.records = new UntrustedRecords(this.problems, `the PostgreSQL store at ${this.target}`);
    this.s = ident(this.options.schema);
    this.channel = `${this.options.schema}.changes`;
    this.events.setMaxListeners(0);
  }

  /** Whether the change listener is connected right now (for tests and health checks). */
  get listening(): boolean {
    return this.conn?.listener.listening ?? false;
  }

  open(): Promise<void> {
    if (this.conn) return Promise.resolve();
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private poolConfig(extra: PoolConfig): PoolConfig {
    const o = this.options;
    return {
      connectionString: o.connectionString,
      connectionTimeoutMillis: o.connectTimeoutMs,
      statement_timeout: o.statementTimeoutMs,
      lock_timeout: o.statementTimeoutMs,
      // The client-side bound, in case the server stops answering altogether.
      query_timeout: o.statementTimeoutMs + 2_000,
      idle_in_transaction_session_timeout: o.statementTimeoutMs * 3,
      keepAlive: true,
      application_name: `nr-vault/${o.schema}`,
      ...extra,
    };
  }

  private async connect(): Promise<void> {
    const o = this.options;
    const pool = new Pool(this.poolConfig({ max: o.poolSize }));
    const lockPool = new Pool(this.poolConfig({
      max: o.poolSize,
      statement_timeout: o.lockWaitMs + 1_000,
      lock_timeout: o.lockWaitMs,
      query_timeout: o.lockWaitMs + 3_000,
      idleTimeoutMillis: 5_000,
    }));
    // An idle pooled connection that drops reports here; the pool replaces it on the next call.
    pool.on('error', () => undefined);
    lockPool.on('error', () => undefined);
    const listener = new ChangeListener(
      { ...this.poolConfig({}), query_timeout: o.connectTimeoutMs },
      this.channel,
      { notify: (payload) => this.onNotify(payload), lost: () => this.forgetCaches(), resumed: () => void this.resync() },
      { pingMs: o.listenerPingMs, reconnectMaxMs: o.reconnectMaxMs },
    );
    try {
      const lease = await Lease.take(pool);
      try {
        await migrate(lease.client, o.schema);
        lease.release();
      } catch (e) {
        lease.release(e);
        throw e;
      }
      await listener.start();
    } catch (e) {
      await listener.stop();
      await Promise.all([pool.end(), lockPool.end()]).catch(() => undefined);
      throw storeUnavailable(e, this.target);
    }
    const heartbeat = setInterval(() => void this.beat(), o.heartbeatMs);
    heartbeat.unref();
    this.conn = { pool, lockPool, listener, heartbeat };
  }

  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    const conn = this.conn;
    this.conn = undefined;
    this.registered.clear();
    this.events.removeAllListeners();
    if (!conn) return;
    clearInterval(conn.heartbeat);
    await conn.listener.stop();
    await Promise.all([conn.pool.end(), conn.lockPool.end()]).catch(() => undefined);
  }

  private connections(): Connections {
    if (!this.conn) throw new VaultError('store_unavailable', `The vault store (PostgreSQL at ${this.target}) is not open.`);
    return this.conn;
  }

  /** A read: one statement; a connection that turns out dead is replaced once before giving up. */
  private async read<R extends QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    const { pool } = this.connections();
    for (let attempt = 1; ; attempt++) {
      try {
        return (await pool.query<R>(sql, params)).rows;
      } catch (e) {
        if (attempt < 2 && isConnectionLoss(e)) continue;
        throw storeUnavailable(e, this.target);
      }
    }
  }

  /**
   * A write: `fn` in one transaction, then a change event here (others hear the NOTIFY that `fn`
   * queued, delivered at COMMIT). A failure rolls everything back; nothing is retried once COMMIT
   * was sent, so an error after it means "unknown", never "half applied".
   */
  private async transaction<T>(change: StoreChange, fn: (q: Query) => Promise<T>): Promise<T> {
    const { pool } = this.connections();
    // Two first writes of one item both find no row to lock; the loser's INSERT hits the primary
    // key, and running it again sees the winner's row (and its version) under FOR UPDATE.
    for (let attempt = 1; ; attempt++) {
      let lease: Lease;
      try {
        lease = await Lease.take(pool);
      } catch (e) {
        throw storeUnavailable(e, this.target);
      }
      const q: Query = async <R extends QueryResultRow>(sql: string, params: unknown[] = []) =>
        (await lease.client.query<R>(sql, params)).rows;
      let begun = false;
      try {
        await q('BEGIN');
        begun = true;
        const result = await fn(q);
        const message: ChangeMessage = { o: this.origin, v: change.vault, ...(change.item === undefined ? {} : { i: change.item }) };
        await q('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify(message)]);
        await q('COMMIT');
        lease.release();
        this.emitChange({ ...change });
        return result;
      } catch (e) {
        if (!lease.broken) await lease.client.query('ROLLBACK').catch(() => undefined);
        lease.release(e);
        // Also safe to run again: a pooled connection found dead before anything was sent on it.
        const retry = ['23505', '40P01', '40001'].includes(errorCode(e) ?? '') || (!begun && isConnectionLoss(e));
        if (attempt < 3 && retry) continue;
        throw storeUnavailable(e, this.target);
      }
    }
  }

  async listVaults(): Promise<VaultRecord[]> {
    const rows = await this.read<VaultRow>(`SELECT ${VAULT_COLUMNS} FROM ${this.s}.vaults ORDER BY created_at, id`, []);
    const vaults = this.records.valid(rows.map((r) => ({ parsed: vaultFromRow(r), what: UntrustedRecords.label('vault', r.id) })));
    for (const v of vaults) this.seen(v);
    return vaults;
  }

  async getVault(id: string): Promise<VaultRecord | undefined> {
    const rows = await this.read<VaultRow>(`SELECT ${VAULT_COLUMNS} FROM ${this.s}.vaults WHERE id = $1`, [id]);
    return this.seen(rows[0] && this.records.one(vaultFromRow(rows[0]), UntrustedRecords.label('vault', id)));
  }

  createVault(record: VaultRecord): Promise<VaultRecord> {
    return this.transaction({ vault: record.id }, async (q) => {
      const rows = await q(
        `INSERT INTO ${this.s}.vaults (${VAULT_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [record.id, record.name, record.share, record.publicKey, record.createdAt],
      );
      if (rows.length === 0) throw new VaultError('exists', `A vault with id "${record.id}" exists already.`);
      return this.seen({ ...record });
    });
  }

  deleteVault(vaultId: string): Promise<void> {
    return this.transaction({ vault: vaultId }, async (q) => {
      // Its items and approvals go with it (ON DELETE CASCADE).
      const rows = await q(`DELETE FROM ${this.s}.vaults WHERE id = $1 RETURNING id`, [vaultId]);
      if (rows.length === 0) throw notFound(vaultId);
    });
  }

  async listItems(vaultId: string): Promise<ItemRecord[]> {
    // One round trip: the vault's row, joined with its items if it has any.
    const rows = await this.read<JoinedItemRow>(
      `SELECT v.id AS vault_id, ${ITEM_COLUMNS.split(', ').map((c) => `i.${c}`).join(', ')}
         FROM ${this.s}.vaults v LEFT JOIN ${this.s}.items i ON i.vault = v.id
        WHERE v.id = $1 ORDER BY i.id`,
      [vaultId],
    );
    if (rows.length === 0) throw notFound(vaultId);
    this.knownVaults.add(vaultId);
    return this.records.valid(rows
      .filter((r): r is ItemRow & { vault_id: string } => r.id !== null)
      .map((r) => ({ parsed: itemFromRow(r), what: UntrustedRecords.label('item', r.id, vaultId) })));
  }

  async getItem(vaultId: string, itemId: string): Promise<ItemRecord | undefined> {
    const rows = await this.read<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${this.s}.items WHERE vault = $1 AND id = $2`, [vaultId, itemId]);
    if (rows[0]) this.knownVaults.add(vaultId);
    return rows[0] && this.records.one(itemFromRow(rows[0]), UntrustedRecords.label('item', itemId, vaultId));
  }

  putItem(vaultId: string, itemId: string, write: ItemWrite): Promise<ItemRecord> {
    return this.transaction({ vault: vaultId, item: itemId }, async (q) => {
      if ((await q(`SELECT 1 FROM ${this.s}.vaults WHERE id = $1`, [vaultId])).length === 0) throw notFound(vaultId);
      const rows = await q<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${this.s}.items WHERE vault = $1 AND id = $2 FOR UPDATE`, [vaultId, itemId]);
      const parsed = rows[0] && itemFromRow(rows[0]);
      this.knownVaults.add(vaultId);
      const current = parsed && (parsed.ok ? parsed.record : malformedBase(rows[0]!.version));
      const record = applyItemWrite(vaultId, itemId, current, write);
      if (current) {
        await q(
          `UPDATE ${this.s}.items SET name = $3, type = $4, plain = $5::jsonb, secret = $6::jsonb, version = $7,
             updated_at = $8, state = $9 WHERE id = $1 AND vault = $2`,
          itemParams(record),
        );
      } else {
        await q(`INSERT INTO ${this.s}.items (${ITEM_COLUMNS}) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9)`, itemParams(record));
      }
      return record;
    });
  }

  deleteItem(vaultId: string, itemId: string, ifVersion?: number): Promise<void> {
    return this.transaction({ vault: vaultId, item: itemId }, async (q) => {
      const rows = await q<{ version: number }>(`SELECT version FROM ${this.s}.items WHERE vault = $1 AND id = $2 FOR UPDATE`, [vaultId, itemId]);
      checkItemDelete(vaultId, itemId, rows[0], ifVersion);
      await q(`DELETE FROM ${this.s}.items WHERE vault = $1 AND id = $2`, [vaultId, itemId]);
    });
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  /**
   * Any database login may NOTIFY on the channel, so a notification is untrusted input and only a
   * hint: it names a vault (and item) whose caches are dropped, so the next read goes to the store.
   * A malformed one is reported (once a minute at most) and skipped; nothing here may throw into pg.
   */
  private onNotify(payload: unknown): void {
    const message: ChangeMessage | undefined = parseChangeMessage(payload);
    if (!message) {
      this.problems.again('notify', `nr-vault: ignored a malformed notification on the channel "${this.channel}" of ${this.target}: some database login sent it; nr-vault sends only its own form.`);
      return;
    }
    if (message.o === this.origin) return;
    // Bounded: notifications name ids anyone can make up, and each known vault is resynced on a loss.
    if (this.knownVaults.size < MAX_KNOWN_VAULTS) this.knownVaults.add(message.v);
    const change: StoreChange = { vault: message.v, remote: true };
    if (message.i !== undefined) change.item = message.i;
    this.emitChange(change);
  }

  /** Tell listeners; a listener that throws is reported, never thrown into pg or a committed write. */
  private emitChange(change: StoreChange): void {
    for (const listener of this.events.listeners('change') as ((c: StoreChange) => void)[]) {
      try {
        listener(change);
      } catch (e) {
        this.problems.again('listener', `nr-vault: a change listener failed (${e instanceof Error ? e.name : typeof e}); the change was still applied.`);
      }
    }
  }

  /**
   * The listener is gone, so changes elsewhere go unheard until it is back: every vault this
   * instance has seen counts as changed, so that caches above (the keyring) are dropped and reads
   * go to the store, which answers, or fails with `store_unavailable`, rather than serve stale values.
   */
  private forgetCaches(): void {
    for (const vault of this.knownVaults) this.emitChange({ vault, remote: true });
  }

  /** After the listener was away, notifications may be lost: every vault counts as changed. */
  private async resync(): Promise<void> {
    try {
      for (const v of await this.listVaults()) this.emitChange({ vault: v.id, remote: true });
    } catch {
      // The store went away again; the listener resumes (and resyncs) once more when it is back.
    }
  }

  private seen<T extends { id: string } | undefined>(vault: T): T {
    if (vault) this.knownVaults.add(vault.id);
    return vault;
  }

  /**
   * Excludes every holder of `name` on every instance sharing this schema: an in-process queue
   * first (so waiting callers here cost no connections), then a session-level advisory lock held
   * on a connection of its own until `fn` settles. Waiting longer than lockWaitMs is `timeout`.
   * If that connection drops while `fn` runs, the server lets the lock go: callers that must not
   * overlap even then (token refresh) write with `ifVersion`, so the second writer gets `conflict`.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(name, () => {
      const { lockPool } = this.connections();
      const key = advisoryKey(this.options.schema, `lock:${name}`);
      return holdAdvisoryLock(lockPool, key, { name, waitMs: this.options.lockWaitMs, target: this.target }, fn);
    });
  }

  async registerRuntime(runtime: RuntimeRegistration): Promise<void> {
    this.registered.set(runtime.id, { ...runtime });
    await this.upsertRuntime(runtime);
  }

  private async upsertRuntime(r: RuntimeRegistration): Promise<void> {
    await this.read(
      `INSERT INTO ${this.s}.runtimes (${RUNTIME_COLUMNS}) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, public_key = EXCLUDED.public_key,
         fingerprint = EXCLUDED.fingerprint, admin_url = EXCLUDED.admin_url, last_seen = now()`,
      [r.id, r.name, r.publicKey, r.fingerprint, r.adminUrl ?? null],
    );
  }

  /** Keep this instance's runtimes' lastSeen fresh; a failed beat is retried at the next one. */
  private async beat(): Promise<void> {
    for (const r of this.registered.values()) {
      try {
        await this.upsertRuntime(r);
      } catch (e) {
        const why = e instanceof VaultError ? e.message : 'the store did not answer';
        this.problems.again('heartbeat', `nr-vault: could not record that this runtime is alive in the runtime registry (${why}); retrying every ${Math.round(this.options.heartbeatMs / 1000)} s.`);
        return;
      }
    }
  }

  /** Every runtime that registered with this store, most recently seen first. */
  async listRuntimes(): Promise<RuntimeRegistration[]> {
    const rows = await this.read<RuntimeRow>(`SELECT ${RUNTIME_COLUMNS} FROM ${this.s}.runtimes ORDER BY last_seen DESC, id`, []);
    return this.records.valid(rows.map((r) => ({ parsed: runtimeFromRow(r), what: UntrustedRecords.label('runtime', r.id) })));
  }

  async listApprovals(filter?: ApprovalFilter): Promise<RuntimeApproval[]> {
    const { sql, params } = selectApprovals(this.s, filter);
    return approvalsFromRows(await this.read<ApprovalRow>(sql, params));
  }

  async putApproval(approval: RuntimeApproval): Promise<void> {
    try {
      await this.read(UPSERT_APPROVAL(this.s), approvalParams(approval));
    } catch (e) {
      // The vault's foreign key: there is no such vault.
      if (errorCode((e as { cause?: unknown }).cause) === '23503') throw notFound(approval.vault);
      throw e;
    }
  }

  async deleteApproval(vault: string, runtime: string): Promise<boolean> {
    const rows = await this.read(`DELETE FROM ${this.s}.approvals WHERE vault = $1 AND runtime = $2 RETURNING vault`, [vault, runtime]);
    return rows.length > 0;
  }
}

/** A vault row left-joined with its items: the item columns are null for a vault without items. */
type JoinedItemRow = Omit<ItemRow, 'id'> & { id: string | null; vault_id: string };

type Query = <R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>;
