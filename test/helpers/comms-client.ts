import { requireFromNodeRed } from './node-red/selected';

/** The part of the `ws` package (Node-RED's own websocket library) this client uses. */
interface WebSocketLike {
  on(event: 'open', fn: () => void): void;
  on(event: 'message', fn: (data: Buffer) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  on(event: 'close', fn: () => void): void;
  send(data: string): void;
  close(): void;
}
type WebSocketCtor = new (url: string) => WebSocketLike;
const WebSocket = requireFromNodeRed<WebSocketCtor>('ws');

export interface CommsMessage {
  topic: string;
  data: unknown;
}

/**
 * The editor's websocket to a real Node-RED (/comms): authenticates with a bearer token when
 * adminAuth is on, subscribes, and records every message (status/#, debug, vault/changed, ...).
 */
export class CommsClient {
  /** Every message received, in order. */
  readonly messages: CommsMessage[] = [];
  /** Every raw frame received, as text (for "this value appears nowhere" checks). */
  readonly frames: string[] = [];
  private waiters: { match: (m: CommsMessage) => boolean; resolve: (m: CommsMessage) => void }[] = [];

  private constructor(private readonly ws: WebSocketLike) {}

  static connect(url: string, token: string | undefined, topics: string[], timeoutMs = 15_000): Promise<CommsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new CommsClient(ws);
      const timer = setTimeout(() => reject(new Error(`comms: no connection to ${url} within ${timeoutMs} ms`)), timeoutMs);
      const subscribe = (): void => {
        for (const topic of topics) ws.send(JSON.stringify({ subscribe: topic }));
        clearTimeout(timer);
        resolve(client);
      };
      ws.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      ws.on('open', () => {
        if (token) ws.send(JSON.stringify({ auth: token }));
        else subscribe();
      });
      ws.on('message', (data) => {
        const text = data.toString('utf8');
        client.frames.push(text);
        const parsed: unknown = JSON.parse(text);
        if (!Array.isArray(parsed)) {
          const auth = (parsed as { auth?: string }).auth;
          if (auth === 'ok') subscribe();
          else if (auth === 'fail') {
            clearTimeout(timer);
            reject(new Error('comms: authentication failed'));
          }
          return;
        }
        for (const m of parsed as CommsMessage[]) client.receive(m);
      });
    });
  }

  /** Resolves with the first message (already received or to come) for which `match` is true. */
  waitFor(match: (m: CommsMessage) => boolean, timeoutMs = 15_000, what = 'a matching comms message'): Promise<CommsMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: CommsMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`comms: no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.topic))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Forget the messages received so far (to wait for what comes next); `frames` keeps everything. */
  clear(): void {
    this.messages.length = 0;
  }

  close(): void {
    this.ws.close();
  }

  private receive(m: CommsMessage): void {
    this.messages.push(m);
    const ready = this.waiters.filter((w) => w.match(m));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(m);
  }
}
