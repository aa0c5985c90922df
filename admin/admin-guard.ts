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
 * from another site gets 403. The editor's websocket (/comms) does not pass through Express: the
 * package's runtime applies the same check to its upgrade requests when it finds this guard.
 */
export function adminGuard(options: AdminGuardOptions = {}): Middleware {
  const check = adminGuardCheck(options);
  const middleware: Middleware = (req, res, next) => {
    const reason = check(req);
    if (reason === undefined) {
      next();
      return;
    }
    res.statusCode = 403;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code: 'forbidden', message: `Request refused: ${reason}.` } }));
  };
  // The package's runtime finds the check here and applies it to the editor's websocket too (comms-guard.ts).
  Object.defineProperty(middleware, ADMIN_GUARD_CHECK, { value: check });
  return middleware;
}

/** Marks an adminGuard() middleware; its value is the guard's check. */
export const ADMIN_GUARD_CHECK = Symbol.for('@nr-vault/node-red-vault.adminGuardCheck');

export type GuardCheck = (req: IncomingMessage) => string | undefined;

/** The reason to refuse a request (Host, then cross-site), or undefined. */
export function adminGuardCheck(options: AdminGuardOptions = {}): GuardCheck {
  const hosts = options.allowedHosts ?? LOOPBACK_HOSTS;
  return (req) => hostRefusal(req, hosts) ?? crossSiteRefusal(req, { allowedOrigins: options.allowedOrigins, allowNavigation: true });
}

/** The check of an adminGuard() in settings.js `httpAdminMiddleware` (a function or a list), if there is one. */
export function findAdminGuardCheck(httpAdminMiddleware: unknown): GuardCheck | undefined {
  const list = Array.isArray(httpAdminMiddleware) ? httpAdminMiddleware : [httpAdminMiddleware];
  for (const m of list) {
    const check = typeof m === 'function' ? (m as unknown as Record<symbol, unknown>)[ADMIN_GUARD_CHECK] : undefined;
    if (typeof check === 'function') return check as GuardCheck;
  }
  return undefined;
}
