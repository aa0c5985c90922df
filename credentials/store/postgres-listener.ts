import { Client, type ClientConfig, type Notification } from 'pg';

export interface ListenerHandlers {
  /** A NOTIFY on the channel arrived: untrusted, from any database login (payload may be absent). */
  notify(payload: string | undefined): void;
  /** The connection was lost: from now until resumed(), notifications are missed. */
  lost(): void;
  /** LISTEN is in place again after the connection was lost: notifications may have been missed. */
  resumed(): void;
}

export interface ListenerTiming {
  pingMs: number;
  reconnectMaxMs: number;
}

/**
 * One dedicated connection that LISTENs on a channel. When the connection drops (server restart,
 * pg_terminate_backend, a silent network failure found by the ping), it reconnects with a growing
 * pause and LISTENs again, for as long as it is not stopped.
 */
export class ChangeListener {
  private client?: Client;
  private stopped = true;
  private retryTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private pause = 100;
  private pinging = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly handlers: ListenerHandlers,
    private readonly timing: ListenerTiming,
  ) {}

  /** Whether LISTEN is in place right now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Connect and LISTEN; rejects if the first attempt fails (the store then fails to open). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
    this.pingTimer = setInterval(() => this.ping(), this.timing.pingMs);
    this.pingTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    client.on('notification', (n: Notification) => {
      if (n.channel !== this.channel) return;
      // Anyone who can log in to the database can NOTIFY here: a throw would reach pg's event
      // emitter and stop the process, so the handler is never allowed to throw through.
      try {
        this.handlers.notify(n.payload);
      } catch {
        // the handler reports what it rejects
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.pause = 100;
  }

  /** The connection is gone: forget it and try again soon. */
  private drop(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (!this.stopped) this.handlers.lost();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          if (!this.stopped) this.handlers.resumed();
        },
        () => {
          this.pause = Math.min(this.pause * 2, this.timing.reconnectMaxMs);
          this.scheduleReconnect();
        },
      );
    }, this.pause);
    this.retryTimer.unref();
  }

  /** A socket can die without an error (a cable, a firewall): a failing ping counts as a drop. */
  private ping(): void {
    const client = this.client;
    if (!client || this.pinging) return;
    this.pinging = true;
    client.query('SELECT 1').then(
      () => { this.pinging = false; },
      () => { this.pinging = false; this.drop(client); },
    );
  }
}
