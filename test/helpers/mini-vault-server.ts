import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultRuntime, answerProofChallenge, checkApprovalShape, isVaultError, type VaultErrorCode, type VaultSettings } from '../../credentials';

const STATUS: Partial<Record<VaultErrorCode, number>> = {
  bad_request: 400, invalid_id: 400, invalid_secret_format: 400, bad_seal: 400, bad_payload: 400, wrong_runtime: 400,
  wrong_vault: 400, expired: 400, not_approved: 400, unknown_vault: 404, not_found: 404, exists: 409, replay: 409, wrong_secret: 422,
  rate_limited: 429,
};

/**
 * A real VaultRuntime behind a minimal node:http server that speaks the unlock-related routes of
 * PROTOCOL.md (runtime and its proof, vaults, unlock, lock, approvals) and Node-RED's auth/token,
 * through the same VaultRuntime calls as admin/routes: for CLI tests and the fleet benchmark,
 * where full Node-RED processes would be too heavy. `logins` records each login's scope, and
 * `authorized` every request that carried credentials, so tests can see what was sent.
 */
export class MiniVaultServer {
  private constructor(
    readonly runtime: VaultRuntime,
    private readonly server: Server,
    readonly userDir: string,
    readonly url: string,
    private readonly ownsDir: boolean,
  ) {}

  /** The `scope` of every POST auth/token this server received. */
  readonly logins: string[] = [];
  /** Every request (method and path) that carried credentials: a password or a token. */
  readonly credentialed: string[] = [];

  static async start(options: { token?: string; user?: { name: string; password: string }; settings?: VaultSettings; userDir?: string; name?: string } = {}): Promise<MiniVaultServer> {
    const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'nr-vault-mini-'));
    const runtime = await VaultRuntime.start(userDir, { runtimeName: options.name ?? 'mini', ...options.settings });
    const server = createServer((req, res) => {
      readBody(req).then((body) => handle(mini, runtime, options, req, res, body)).catch(() => send(res, 500, { error: { code: 'internal', message: 'failed' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const mini = new MiniVaultServer(runtime, server, userDir, `http://127.0.0.1:${port}/`, options.userDir === undefined);
    return mini;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.runtime.close();
    if (this.ownsDir) rmSync(this.userDir, { recursive: true, force: true });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(
  mini: MiniVaultServer,
  rt: VaultRuntime, options: { token?: string; user?: { name: string; password: string } }, req: IncomingMessage, res: ServerResponse, raw: string,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  let body: unknown;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    return send(res, 400, { error: { code: 'bad_request', message: 'not JSON' } });
  }
  if (req.method === 'POST' && path === '/auth/token') {
    const b = (body ?? {}) as Record<string, unknown>;
    mini.logins.push(String(b.scope));
    mini.credentialed.push('POST /auth/token');
    if (options.user && b.username === options.user.name && b.password === options.user.password && b.client_id === 'node-red-admin') {
      return send(res, 200, { access_token: options.token, expires_in: 3600, token_type: 'Bearer' });
    }
    return send(res, 403, { error: 'invalid_grant' });
  }
  if (req.headers.authorization) mini.credentialed.push(`${req.method} ${path}`);
  try {
    // Identity is public (docs/protocol-notes.md): no credentials needed, as in admin/routes.
    if (req.method === 'GET' && path === '/vault/runtime') return send(res, 200, rt.info);
    if (req.method === 'POST' && path === '/vault/runtime/proof') {
      return send(res, 200, { proof: answerProofChallenge((body as { sealed?: unknown } | undefined)?.sealed, rt.keys) });
    }
  } catch (e) {
    if (isVaultError(e)) return send(res, STATUS[e.code] ?? 500, { error: e.toJSON() });
    throw e;
  }
  if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
    res.writeHead(401);
    return void res.end('Unauthorized');
  }
  try {
    if (req.method === 'GET' && path === '/vault/vaults') {
      return send(res, 200, (await rt.store.listVaults()).map((v) => ({ ...v, unlocked: rt.keyring.isUnlocked(v.id) })));
    }
    if (req.method === 'POST' && path === '/vault/vaults') {
      const b = body as { id: string; name: string; share: string; publicKey: string };
      return send(res, 201, await rt.store.createVault({ id: b.id, name: b.name, share: b.share, publicKey: b.publicKey, createdAt: new Date().toISOString() }));
    }
    const m = /^\/vault\/vaults\/([A-Za-z0-9_-]{1,64})\/(unlock|lock)$/.exec(path);
    if (req.method === 'POST' && m && m[1]) {
      const vault = m[1];
      if (m[2] === 'unlock') {
        const sealed = (body as { sealed?: unknown } | undefined)?.sealed;
        if (typeof sealed !== 'string' || raw.length > 4096) return send(res, 400, { error: { code: 'bad_request', message: 'bad body' } });
        await rt.keyring.unlockSealed(vault, sealed);
        return send(res, 200, { vault, unlocked: true });
      }
      rt.keyring.lock(vault);
      return send(res, 200, { vault, unlocked: false });
    }
    const a = /^\/vault\/vaults\/([A-Za-z0-9_-]{1,64})\/approvals(?:\/([A-Za-z0-9_-]{1,64}))?$/.exec(path);
    if (a && a[1]) {
      const vault = a[1];
      if (req.method === 'GET' && !a[2]) {
        const runtime = new URL(req.url ?? '/', 'http://x').searchParams.get('runtime') ?? undefined;
        return send(res, 200, await rt.approvals.list({ vault, ...(runtime ? { runtime } : {}) }));
      }
      if (req.method === 'PUT' && a[2]) {
        const b = (body ?? {}) as Record<string, unknown>;
        const { publicKey, sig } = checkApprovalShape(b.publicKey, b.sig);
        return send(res, 200, await rt.approvals.record(vault, a[2], publicKey, sig));
      }
      if (req.method === 'DELETE' && a[2]) {
        await rt.approvals.revoke(vault, a[2]);
        res.writeHead(204);
        return void res.end();
      }
    }
    res.writeHead(404);
    res.end();
  } catch (e) {
    if (isVaultError(e)) return send(res, STATUS[e.code] ?? 500, { error: e.toJSON() });
    return send(res, 500, { error: { code: 'internal', message: 'failed' } });
  }
}
