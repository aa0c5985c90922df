import { VaultError } from '../../credentials';
import { crossSiteRefusal, isAllowedOrigin, type OriginPolicy } from '../request-origin';
import { sendError } from './http-errors';
import type { AdminApp, Handler } from './http-types';

const LOGGED_MAX = 32;

/**
 * Refuses, with `403 forbidden`, a request to the vault API from a page of another site
 * (request-origin.ts says how that is told), in every Node-RED, with or without adminAuth. An
 * answer the check lets through loses Node-RED 4.1's `Access-Control-Allow-Origin: *` unless its
 * Origin is listed, so no other page can read it either. The first refusals per origin are logged.
 */
export function refuseCrossSite(policy: OriginPolicy, log: (m: string) => void): Handler {
  const logged = new Set<string>();
  return (req, res, next) => {
    const reason = crossSiteRefusal(req, policy);
    if (reason === undefined) {
      const origin = req.headers.origin;
      if (typeof origin !== 'string' || !isAllowedOrigin(origin, policy.allowedOrigins)) res.removeHeader('Access-Control-Allow-Origin');
      next();
      return;
    }
    if (logged.size < LOGGED_MAX && !logged.has(reason)) {
      logged.add(reason);
      log(`nr-vault: refused a cross-site request to ${req.method} ${(req.url ?? '').split('?')[0].slice(0, 80)}: ${reason}`);
    }
    sendError(res, new VaultError('forbidden', `Cross-site request refused: ${reason}. The vault API answers only the Node-RED editor's own pages.`));
  };
}

/** `app` with `guard` in front of every route it registers. */
export function guardedApp(app: AdminApp, guard: Handler): AdminApp {
  return {
    get: (path, ...handlers) => app.get(path, guard, ...handlers),
    post: (path, ...handlers) => app.post(path, guard, ...handlers),
    put: (path, ...handlers) => app.put(path, guard, ...handlers),
    delete: (path, ...handlers) => app.delete(path, guard, ...handlers),
    use: (path, handler) => app.use(path, handler),
  };
}
