import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A local port nothing listens on (it was free a moment ago): connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The same, to listen on: a port that was free a moment ago (for a process that must know its port before it starts). */
export const freePort = closedPort;
