import type { IncomingMessage, ServerResponse } from 'node:http';
import { crossSiteRefusal, hostRefusal } from './request-origin';

export interface AdminGuardOptions {
  /** Host names the editor is reached by; another Host is DNS rebinding (default: the loopback names). */
  allowedHosts?: readonly string[];
  /** Origins other than the editor's own whose pages may call the admin API. */
  allowedOrigins?: readonly string[];
}

export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * A settings.js `httpAdminMiddleware` that protects the whole admin API (Node-RED's own /flows,
 * /nodes, /settings included) from other sites' pages and from DNS rebinding, for a Node-RED
 * without adminAuth that only the local user should reach. `npm start` writes it; any settings.js
 * can use it:
 *
 *   httpAdminMiddleware: require('@nr-vault/node-red-vault/dist/admin/admin-guard').adminGuard(),
 *
 * Opening the editor from a link on another site still works (a GET navigation); anything else
 * from another site gets 403. The editor's websocket (/comms) does not pass through Express: it is
 * not covered (see SECURITY.md).
 */
export function adminGuard(options: AdminGuardOptions = {}): Middleware {
  const hosts = options.allowedHosts ?? LOOPBACK_HOSTS;
  return (req, res, next) => {
    const reason = hostRefusal(req, hosts) ?? crossSiteRefusal(req, { allowedOrigins: options.allowedOrigins, allowNavigation: true });
    if (reason === undefined) {
      next();
      return;
    }
    res.statusCode = 403;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code: 'forbidden', message: `Request refused: ${reason}.` } }));
  };
}
