import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { findAdminGuardCheck } from '../../admin/admin-guard';
import type { NodeRedApi } from '../shared/node-red';

interface UpgradeServer {
  prependListener(event: 'upgrade', listener: (req: IncomingMessage, socket: Duplex) => void): unknown;
}

const guarded = new WeakSet<object>();

/**
 * Browsers apply no CORS to websockets and Node-RED's /comms upgrade does not pass through
 * httpAdminMiddleware, so with adminGuard() in settings.js (as `npm start` writes it) a page of
 * another site could still listen to the editor's events. When that guard is configured, its check
 * runs on /comms upgrades first; a refused one is answered 403 and closed, and Node-RED's own
 * upgrade handler (ws) then finds the socket closed and leaves it.
 */
export function guardCommsUpgrades(RED: NodeRedApi): void {
  const server = (RED as NodeRedApi & { server?: UpgradeServer }).server;
  const check = findAdminGuardCheck(RED.settings.httpAdminMiddleware);
  if (!check || !server || typeof server.prependListener !== 'function' || guarded.has(server)) return;
  guarded.add(server);
  const commsPath = commsPathOf(RED.settings.httpAdminRoot);
  server.prependListener('upgrade', (req, socket) => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return;
    }
    if (path !== commsPath || check(req) === undefined) return;
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });
}

/** Where Node-RED serves /comms: under httpAdminRoot (as @node-red/editor-api computes it). */
function commsPathOf(adminRoot: unknown): string {
  const root = typeof adminRoot === 'string' && adminRoot !== '' ? adminRoot : '/';
  return `${root.startsWith('/') ? '' : '/'}${root}${root.endsWith('/') ? '' : '/'}comms`;
}
