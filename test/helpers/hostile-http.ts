import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A local HTTP server whose answers the test writes (a token endpoint or an API that misbehaves):
 * `answer` gets the request with its body and writes the response. Records every request.
 */
export async function startHostileServer(answer: (req: SeenRequest, res: ServerResponse) => void): Promise<{ url: string; requests: SeenRequest[]; close(): Promise<void> }> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const seen = { headers: req.headers, body };
      requests.push(seen);
      answer(seen, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
