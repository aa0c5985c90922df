import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultRuntime, isVaultError, type VaultErrorCode, type VaultSettings } from '../../credentials';

const STATUS: Partial<Record<VaultErrorCode, number>> = {
  bad_request: 400, invalid_id: 400, invalid_secret_format: 400, bad_seal: 400, bad_payload: 400, wrong_runtime: 400,
  wrong_vault: 400, expired: 400, unknown_vault: 404, exists: 409, replay: 409, wrong_secret: 422, rate_limited: 429,
};

/**
 * A real VaultRuntime behind a minimal node:http server that speaks the unlock-related routes of
 * PROTOCOL.md (runtime, vaults, unlock, lock) and Node-RED's auth/token: for CLI tests and the
 * fleet benchmark, where full Node-RED processes would be too heavy.
 */
export class MiniVaultServer {
  private constructor(
    readonly runtime: VaultRuntime,
    private readonly server: Server,
    readonly userDir: string,
    readonly url: string,
    private readonly ownsDir: boolean,
  ) {}

  static async start(options: { token?: string; user?: { name: string; password: string }; settings?: VaultSettings; userDir?: string; name?: string } = {}): Promise<MiniVaultServer> {
    const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'nr-vault-mini-'));
    const runtime = await VaultRuntime.start(userDir, { runtimeName: options.name ?? 'mini', ...options.settings });
    const server = createServer((req, res) => {
      readBody(req).then((body) => handle(runtime, options, req, res, body)).catch(() => send(res, 500, { error: { code: 'internal', message: 'failed' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new MiniVaultServer(runtime, server, userDir, `http://127.0.0.1:${port}/`, options.userDir === undefined);
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
    if (options.user && b.username === options.user.name && b.password === options.user.password && b.client_id === 'node-red-admin') {
      return send(res, 200, { access_token: options.token, expires_in: 3600, token_type: 'Bearer' });
    }
    return send(res, 403, { error: 'invalid_grant' });
  }
  if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
    res.writeHead(401);
    return void res.end('Unauthorized');
  }
  try {
    if (req.method === 'GET' && path === '/vault/runtime') return send(res, 200, rt.info);
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
    res.writeHead(404);
    res.end();
  } catch (e) {
    if (isVaultError(e)) return send(res, STATUS[e.code] ?? 500, { error: e.toJSON() });
    return send(res, 500, { error: { code: 'internal', message: 'failed' } });
  }
}
