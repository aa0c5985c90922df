import type { Pool } from 'pg';
import { VaultError } from '../errors';
import { errorCode, storeUnavailable } from './postgres-errors';
import { Lease } from './postgres-lease';

export interface LockContext {
  /** The lock's name, for messages. */
  name: string;
  /** How long the pool's lock_timeout lets pg_advisory_lock wait. */
  waitMs: number;
  /** Where the store points, for messages. */
  target: string;
}

/**
 * Run `fn` holding the session-level advisory lock `key` on a connection of its own, taken from
 * `pool` and kept until `fn` settles. The lock goes with the session, so a connection that dies
 * while `fn` runs releases it on the server; then the connection is destroyed, never reused.
 */
export async function holdAdvisoryLock<T>(pool: Pool, key: string, lock: LockContext, fn: () => Promise<T>): Promise<T> {
  let lease: Lease | undefined;
  try {
    lease = await Lease.take(pool);
    await lease.client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  } catch (e) {
    lease?.release(e);
    if (errorCode(e) === '55P03' || errorCode(e) === '57014') {
      throw new VaultError('timeout', `Waited ${(lock.waitMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s for the lock "${lock.name}", held elsewhere; try again.`, { cause: e });
    }
    throw storeUnavailable(e, lock.target);
  }
  try {
    return await fn();
  } finally {
    try {
      if (!lease.broken) await lease.client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      lease.release();
    } catch (e) {
      lease.release(e); // the connection is gone, and the lock with it
    }
  }
}
