import type { Pool, PoolClient } from 'pg';
import { VaultError } from '../errors';
import { isStatementError } from './postgres-errors';

/**
 * A client borrowed from a pool. While borrowed, pg emits a dropped connection as an 'error' event
 * on the client, which would crash the process without a listener: the lease listens, and a client
 * that broke (or that failed in a way that leaves it in doubt) is destroyed instead of reused.
 */
export class Lease {
  private lost = false;
  private readonly onError = (): void => {
    this.lost = true;
  };

  private constructor(readonly client: PoolClient) {
    client.on('error', this.onError);
  }

  static async take(pool: Pool): Promise<Lease> {
    return new Lease(await pool.connect());
  }

  /** Whether the connection was dropped while borrowed. */
  get broken(): boolean {
    return this.lost;
  }

  /** Give the client back; `failure` is what went wrong while using it, if anything. */
  release(failure?: unknown): void {
    const reusable = !this.lost && (failure === undefined || failure instanceof VaultError || isStatementError(failure));
    if (reusable) {
      this.client.off('error', this.onError);
      this.client.release();
    } else {
      // The listener stays: a destroyed client may still emit while its socket closes.
      this.client.release(true);
    }
  }
}
