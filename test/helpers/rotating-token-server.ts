import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Family {
  revoked: boolean;
}

interface RefreshRecord {
  family: Family;
  used: boolean;
}

export interface TokenCall {
  grant: string;
  params: Record<string, string>;
  /** How the client authenticated: client_secret_post, client_secret_basic or none. */
  auth: 'post' | 'basic' | 'none';
  status: number;
}

/**
 * A token endpoint that behaves like Auth0 with refresh-token rotation: every refresh token works
 * once and is replaced by a new one of the same family; presenting a used one again revokes the
 * whole family (reuse detection), so even the newest token of it is refused with invalid_grant.
 * Also does client credentials. Checks the client id and secret, posted or by HTTP Basic.
 */
export class RotatingTokenServer {
  readonly calls: TokenCall[] = [];
  /** Answers to give before any real one, e.g. [500, 500] (then it works again), or a status with an OAuth error. */
  failures: (number | { status: number; error: string })[] = [];
  expiresIn = 3600;
  /** Hold each answer this long, so concurrent callers really overlap. */
  delayMs = 0;
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  static async start(clientId = 'client-1', clientSecret = `cs-${randomBytes(12).toString('hex')}`): Promise<RotatingTokenServer> {
    let self: RotatingTokenServer | undefined;
    const server = createServer((req, res) => {
      void self!.handle(req, res).catch(() => send(res, 500, { error: 'server_error' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new RotatingTokenServer(server, `http://127.0.0.1:${port}/oauth/token`, clientId, clientSecret);
    return self;
  }

  /** A refresh token as a person would paste it after signing in: the first of a new family. */
  issueRefreshToken(): string {
    const token = `rt-${randomBytes(16).toString('hex')}`;
    this.refreshTokens.set(token, { family: { revoked: false }, used: false });
    return token;
  }

  /** Every access and refresh token this server ever gave (for canary checks). */
  allTokens(): string[] {
    return [...this.refreshTokens.keys(), ...this.accessTokens];
  }

  isValidAccessToken(token: string): boolean {
    return this.accessTokens.has(token);
  }

  tokenRequests(): number {
    return this.calls.length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    if (req.method !== 'POST' || !req.url?.startsWith('/oauth/token')) return send(res, 404, { error: 'not_found' });
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return send(res, 400, { error: 'invalid_request', error_description: 'form body expected' });
    }
    const params = Object.fromEntries(new URLSearchParams(text));
    const call: TokenCall = { grant: params.grant_type ?? '', params, auth: 'none', status: 0 };
    this.calls.push(call);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const answer = (status: number, body: Record<string, unknown>) => {
      call.status = status;
      send(res, status, body);
    };
    const failure = this.failures.shift();
    if (typeof failure === 'number') return answer(failure, { error: 'server_error' });
    if (failure) return answer(failure.status, { error: failure.error });

    const basic = parseBasic(req.headers.authorization);
    call.auth = basic ? 'basic' : params.client_secret !== undefined ? 'post' : 'none';
    const id = basic?.id ?? params.client_id;
    const secret = basic?.secret ?? params.client_secret;
    if (id !== this.clientId || (secret !== undefined && secret !== this.clientSecret)) return answer(401, { error: 'invalid_client' });

    if (params.grant_type === 'client_credentials') {
      if (secret === undefined) return answer(401, { error: 'invalid_client' });
      return answer(200, this.grant(false));
    }
    if (params.grant_type === 'refresh_token') {
      const record = this.refreshTokens.get(params.refresh_token ?? '');
      if (!record || record.family.revoked) return answer(400, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
      if (record.used) {
        record.family.revoked = true; // reuse detected: the whole family is dead
        return answer(400, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
      }
      record.used = true;
      const next = this.grant(true);
      this.refreshTokens.set(next.refresh_token!, { family: record.family, used: false });
      return answer(200, next);
    }
    return answer(400, { error: 'unsupported_grant_type' });
  }

  private grant(rotate: boolean): { access_token: string; token_type: string; expires_in: number; refresh_token?: string } {
    const access = `at-${randomBytes(16).toString('hex')}`;
    this.accessTokens.add(access);
    const body: { access_token: string; token_type: string; expires_in: number; refresh_token?: string } = { access_token: access, token_type: 'Bearer', expires_in: this.expiresIn };
    if (rotate) body.refresh_token = `rt-${randomBytes(16).toString('hex')}`;
    return body;
  }
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const form = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
