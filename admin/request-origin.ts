import type { IncomingMessage } from 'node:http';

/**
 * Is this admin request from a page of another site? Node-RED 4.1 answers every admin request with
 * `Access-Control-Allow-Origin: *` and parses form posts, so without adminAuth any web page the user
 * opens can read and change the admin API. This decides from what the browser says, and what a page
 * cannot forge (the `Sec-Fetch-*` and `Origin` headers are set by the browser alone):
 *
 * - `Sec-Fetch-Site: same-origin` or `none` (typed URL, bookmark): allowed. This is what makes a
 *   reverse proxy that rewrites Host work without configuration when the editor is on https or localhost.
 * - `Sec-Fetch-Site: cross-site`: refused, unless the Origin is listed in `allowedOrigins`.
 * - Otherwise (`same-site`, or a browser that does not send Sec-Fetch-Site, as on plain http to a
 *   LAN address), an `Origin` must name this server: the Host header, or X-Forwarded-Host when
 *   Express's `trust proxy` (settings.js `httpServerOptions`) trusts the connecting proxy. A page
 *   could send X-Forwarded-Host itself (4.1's CORS lets any header through), so it is never trusted
 *   otherwise. `Origin: null` (sandboxed frame, local file) is refused.
 * - No Origin and no Sec-Fetch-Site: a client that is not a browser (the CLI, curl), or a browser's
 *   GET that a page cannot read: allowed.
 *
 * Kept free of the rest of the package so a settings.js can load it (admin-guard.ts).
 */
export interface OriginPolicy {
  /** Origins other than the editor's own that may call, e.g. "https://dashboard.example:8443". */
  allowedOrigins?: readonly string[];
  /** Let GET/HEAD navigations from other sites through (opening the editor from a link). */
  allowNavigation?: boolean;
}

type TrustProxyFn = (address: string | undefined, hop: number) => boolean;

/** The reason to refuse `req`, or undefined when it may go on. */
export function crossSiteRefusal(req: IncomingMessage, policy: OriginPolicy = {}): string | undefined {
  const site = header(req, 'sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return undefined;
  const method = (req.method ?? 'GET').toUpperCase();
  if (policy.allowNavigation && (method === 'GET' || method === 'HEAD') && header(req, 'sec-fetch-mode') === 'navigate') return undefined;
  const origin = header(req, 'origin');
  if (origin !== undefined && isAllowedOrigin(origin, policy.allowedOrigins)) return undefined;
  if (site === 'cross-site') return `the browser marked it cross-site (Origin ${clip(origin ?? 'not sent')})`;
  if (origin === undefined) return site === 'same-site' ? 'the browser marked it same-site, not same-origin, and sent no Origin' : undefined;
  if (origin === 'null') return 'it came from an opaque origin (a sandboxed frame or a local file)';
  const own = requestHost(req);
  if (own !== undefined && originIsHost(origin, own)) return undefined;
  return `its Origin ${clip(origin)} is not this editor's (${clip(own ?? 'no Host header')})`;
}

/** True when `origin` is listed in `allowed` (compared as URL origins; "null" never). */
export function isAllowedOrigin(origin: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed || origin === 'null') return false;
  const o = urlOrigin(origin);
  return o !== undefined && allowed.some((a) => urlOrigin(a) === o);
}

/**
 * DNS rebinding: a page on http://attacker.example:1880 whose name resolves to 127.0.0.1 is
 * same-origin with itself, so only the Host header shows it. Refuses a Host whose name is not listed.
 */
export function hostRefusal(req: IncomingMessage, allowedHostnames: readonly string[]): string | undefined {
  const host = header(req, 'host');
  const name = host === undefined ? undefined : hostnameOf(host);
  if (name !== undefined && allowedHostnames.includes(name)) return undefined;
  return `its Host ${clip(host ?? 'not sent')} is not one of ${allowedHostnames.join(', ')}`;
}

/** The host the browser addressed: Host, or X-Forwarded-Host from a proxy Express is told to trust. */
function requestHost(req: IncomingMessage): string | undefined {
  const forwarded = header(req, 'x-forwarded-host');
  if (forwarded !== undefined) {
    const app = (req as IncomingMessage & { app?: { get?: (name: string) => unknown } }).app;
    const trust = typeof app?.get === 'function' ? app.get('trust proxy fn') : undefined;
    if (typeof trust === 'function' && (trust as TrustProxyFn)(req.socket?.remoteAddress, 0)) {
      return forwarded.split(',')[0].trim();
    }
  }
  return header(req, 'host');
}

function originIsHost(origin: string, host: string): boolean {
  let o: URL;
  let h: URL;
  try {
    o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
    // The origin's scheme gives the host its default port, so "example.com:443" equals https://example.com.
    h = new URL(`${o.protocol}//${host}`);
  } catch {
    return false;
  }
  return h.host === o.host && h.username === '' && h.pathname === '/';
}

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

function urlOrigin(text: string): string | undefined {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Header text for a message: printable ASCII, short (it comes from whoever sent the request). */
function clip(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 80)}…` : clean);
}
