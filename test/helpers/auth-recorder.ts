import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server that answers 200 and records every request's Authorization header. */
export class AuthRecorder {
  readonly headers: string[] = [];
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<AuthRecorder> {
    const headers: string[] = [];
    const server = createServer((req, res) => {
      headers.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const rec = new AuthRecorder(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    (rec as { headers: string[] }).headers = headers;
    return rec;
  }

  /** The user:password pairs received with Basic auth, in order. */
  basicPairs(): string[] {
    return this.headers.map((h) => (h.startsWith('Basic ') ? Buffer.from(h.slice(6), 'base64').toString('utf8') : h));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
