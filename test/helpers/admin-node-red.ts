import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RED_JS, requireFromNodeRed } from './node-red/selected';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface NodeRedUser {
  username: string;
  password: string;
  permissions: string;
}

export interface NodeRedOptions {
  users?: NodeRedUser[];
  /** The `vault` section of settings.js. */
  vault?: Record<string, unknown>;
  /** Reuse a user directory (a restart); default: a new temporary one. */
  userDir?: string;
  port?: number;
  /** Run Node-RED on a pseudo-terminal (Python's pty module), so stdin is a TTY. */
  tty?: boolean;
  /** Written to flows.json before the start. */
  flows?: unknown[];
}

export const ADMIN: NodeRedUser = { username: 'admin', password: 'admin-password-1', permissions: '*' };

/** A free loopback port (listen on 0, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function bcryptHash(password: string): string {
  // node-red's own bcryptjs, as its adminAuth checks it.
  const bcrypt = requireFromNodeRed<{ hashSync(p: string, rounds: number): string }>('bcryptjs');
  return bcrypt.hashSync(password, 8);
}

/**
 * (Beside test/helpers/node-red-process.ts: this one adds adminAuth, a pseudo-terminal and restarts.)
 * A real Node-RED 4.1 process from node_modules on a loopback port, with adminAuth and this package
 * loaded through nodesDir. Started in its own process group, which `stop` kills.
 */
export class AdminNodeRed {
  log = '';
  private exited: Promise<void>;

  private constructor(readonly child: ChildProcess, readonly userDir: string, readonly port: number, private ownsDir: boolean) {
    child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.exited = new Promise((r) => child.once('exit', () => r()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  static async start(options: NodeRedOptions = {}): Promise<AdminNodeRed> {
    const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'nr-vault-red-'));
    mkdirSync(userDir, { recursive: true });
    const port = options.port ?? (await freePort());
    const users = (options.users ?? [ADMIN]).map((u) => ({ username: u.username, password: bcryptHash(u.password), permissions: u.permissions }));
    writeFileSync(join(userDir, 'settings.js'), `module.exports = ${JSON.stringify({
      uiHost: '127.0.0.1',
      uiPort: port,
      flowFile: 'flows.json',
      credentialSecret: 'test-credential-secret',
      nodesDir: [ROOT],
      adminAuth: { type: 'credentials', users },
      logging: { console: { level: 'info', metrics: false, audit: false } },
      editorTheme: { tours: false, projects: { enabled: false } },
      vault: options.vault ?? {},
    }, null, 2)};\n`);
    if (options.flows) writeFileSync(join(userDir, 'flows.json'), JSON.stringify(options.flows));
    const args = [RED_JS, '--userDir', userDir, '--settings', join(userDir, 'settings.js'), '--port', String(port), '--no-telemetry'];
    const command = options.tty ? 'python3' : process.execPath;
    const argv = options.tty ? ['-c', 'import pty, sys; pty.spawn(sys.argv[1:])', process.execPath, ...args] : args;
    const child = spawn(command, argv, { cwd: ROOT, detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NR_VAULT_STORE: '' } });
    const red = new AdminNodeRed(child, userDir, port, options.userDir === undefined);
    try {
      await red.waitUntilReady();
    } catch (e) {
      await red.stop();
      throw e;
    }
    return red;
  }

  /** Node-RED answers and the vault's runtime identity is up (its plugin loaded). */
  private async waitUntilReady(ms = 30_000): Promise<void> {
    const end = Date.now() + ms;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < end && !exited) {
      try {
        const res = await fetch(`${this.url}vault/runtime`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 401 || res.status === 200) {
          const token = await this.token().catch(() => undefined);
          if (token) {
            const rt = await fetch(`${this.url}vault/runtime`, { headers: { authorization: `Bearer ${token}` } });
            if (rt.status === 200) return;
          }
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`Node-RED on port ${this.port} did not start${exited ? ' (it exited)' : ''}:\n${this.log.slice(-3000)}`);
  }

  /** An adminAuth access token (POST auth/token). */
  async token(user: NodeRedUser = ADMIN): Promise<string> {
    const res = await fetch(`${this.url}auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: user.username, password: user.password }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token: ${res.status}`);
    return body.access_token;
  }

  /** Type into the process's terminal (tty mode). */
  type(text: string): void {
    this.child.stdin?.write(text);
  }

  /** Kill the whole process group (Node-RED, and Python's pty parent in tty mode). */
  async stop(options: { keepDir?: boolean } = {}): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await this.exited;
    }
    if (this.ownsDir && !options.keepDir) rmSync(this.userDir, { recursive: true, force: true });
  }

  /** Stop and start again on the same port and user directory. */
  async restart(options: NodeRedOptions): Promise<AdminNodeRed> {
    await this.stop({ keepDir: true });
    const next = await AdminNodeRed.start({ ...options, userDir: this.userDir, port: this.port });
    next.ownsDir = this.ownsDir;
    this.ownsDir = false;
    return next;
  }
}
