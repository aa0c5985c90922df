import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

/**
 * An attacker's HTTP server: it records every request it receives (method, path, Authorization
 * header, body) and answers with `answer`, e.g. a runtime identity copied from the store.
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(answer: (req: IncomingMessage, body: string) => { status: number; body: unknown }): Promise<RecordingServer> {
    let self: RecordingServer | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        self?.requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
        const a = answer(req, body);
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(a.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new RecordingServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return self;
  }

  /** Every recorded request that carried a credential: an Authorization header or a login. */
  credentialed(): RecordedRequest[] {
    return this.requests.filter((r) => r.authorization !== undefined || r.path.startsWith('/auth/token'));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
