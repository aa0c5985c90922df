import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RED_JS, requireFromNodeRed } from './node-red/selected';
import { CommsClient } from './comms-client';
import { fetchCall, VaultTestClient, type Call } from './vault-client';
import { ROOT } from './vectors';

const PACKAGE_NAME = '@nr-vault/node-red-vault';
// The bcryptjs that Node-RED itself uses to check adminAuth passwords.
const bcrypt = requireFromNodeRed<{ hashSync(password: string, rounds: number): string }>('bcryptjs');

export interface RealNodeRedUser {
  username: string;
  password: string;
  /** Node-RED permissions: "*" for everything, "read" for read-only, or a list of scopes. */
  permissions: string | string[];
}

export interface RealNodeRedOptions {
  /** With users, Node-RED runs with `adminAuth` (type credentials); without, the admin API is open. */
  users?: RealNodeRedUser[];
  /** The `vault` section of settings.js. */
  vault?: Record<string, unknown>;
  /** Written to <userDir>/flows.json before start. */
  flows?: unknown[];
  /** More settings.js entries (JSON values only), merged over the generated ones. */
  settings?: Record<string, unknown>;
  /** Use this user directory (kept on stop) instead of a fresh temp one (removed on stop). */
  userDir?: string;
  /** Extra environment variables for the Node-RED process. */
  env?: Record<string, string>;
  /** Node-RED's console log level (default "info"). */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Load this package into Node-RED (default true). */
  loadPackage?: boolean;
  /** Milliseconds to wait for the admin API (default 60 s: the machine is shared). */
  startTimeoutMs?: number;
}

/** Printed by the logger that settingsJs adds, whatever the console log level. */
const LISTENING = /^\[real-node-red\] listening at (http:\/\/\S+)/;

const running = new Set<ChildProcess>();
// A test run that dies without its after() hooks must not leave Node-RED processes behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A real Node-RED 4.1 process (node_modules/node-red/red.js) on a free loopback port, with a temp
 * user directory, a generated settings.js and this package installed in <userDir>/node_modules as a
 * symlink to the project root (exactly where `npm install` in a user directory would put it).
 */
export class RealNodeRed {
  /** e.g. http://127.0.0.1:40123/ (admin root and node root are both "/"). */
  url = '';
  port = 0;
  private output = '';
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly comms = new Set<CommsClient>();

  private constructor(
    readonly userDir: string,
    private readonly ownsUserDir: boolean,
    readonly settingsFile: string,
    readonly users: readonly RealNodeRedUser[],
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => this.append(d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => this.append(d));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        running.delete(child);
        this.exitCode = code;
        this.append(`\n[real-node-red] process exited with code ${code}\n`);
        resolve(code);
      });
    });
  }

  static async start(options: RealNodeRedOptions = {}): Promise<RealNodeRed> {
    const ownsUserDir = options.userDir === undefined;
    const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'nr-vault-real-'));
    mkdirSync(userDir, { recursive: true });
    if (options.loadPackage !== false) installPackage(userDir);
    if (options.flows) writeFileSync(join(userDir, 'flows.json'), JSON.stringify(options.flows, null, 2));
    const settingsFile = join(userDir, 'settings.js');
    writeFileSync(settingsFile, settingsJs(userDir, options));

    const child = spawn(
      process.execPath,
      [RED_JS, '--settings', settingsFile, '--userDir', userDir, '--port', '0'],
      { cwd: userDir, env: { ...process.env, NODE_RED_DISABLE_TELEMETRY: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const nr = new RealNodeRed(userDir, ownsUserDir, settingsFile, options.users ?? [], child);
    try {
      const line = await nr.waitForLog(LISTENING, options.startTimeoutMs ?? 60_000);
      const url = LISTENING.exec(line)![1];
      nr.url = url.endsWith('/') ? url : `${url}/`;
      nr.port = Number(new URL(nr.url).port);
      await nr.waitForAdminApi();
    } catch (e) {
      await nr.stop();
      throw e;
    }
    return nr;
  }

  /** Everything Node-RED wrote to stdout and stderr so far. */
  get log(): string {
    return this.output;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Resolves with the `nth` (default first) log line matching `re`, searching what was logged so
   * far, then what comes; rejects when the process exits or after `timeoutMs`, quoting the log.
   */
  waitForLog(re: RegExp, timeoutMs = 30_000, nth = 1): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const line = this.logLines(re)[nth - 1];
        if (line === undefined) return false;
        cleanup();
        resolve(line);
        return true;
      };
      const onData = (): void => {
        check();
      };
      const onExit = (): void => {
        if (check()) return;
        cleanup();
        reject(new Error(`Node-RED exited before logging ${re}:\n${this.output}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Node-RED did not log ${re} within ${timeoutMs} ms:\n${this.output}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.stderr?.off('data', onData);
        this.child.off('exit', onExit);
      };
      if (check()) return;
      if (this.exitCode !== undefined) return onExit();
      this.child.stdout?.on('data', onData);
      this.child.stderr?.on('data', onData);
      this.child.once('exit', onExit);
    });
  }

  /** A bearer token from POST /auth/token (scope defaults to the user's own permissions, as "*" for an admin). */
  async token(username: string, password: string, scope?: string): Promise<string> {
    const user = this.users.find((u) => u.username === username);
    const requested = scope ?? (user ? [user.permissions].flat().join(',') : '*');
    const res = await fetch(`${this.url}auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: requested, username, password }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST /auth/token as ${username}: ${res.status} ${text}`);
    return (JSON.parse(text) as { access_token: string }).access_token;
  }

  /** The vault admin API of this process (relative paths such as "vault/vaults"). */
  call(token?: string): Call {
    return fetchCall(this.url, token);
  }

  /** A vault client (create vault, put items, unlock...) speaking to this process. */
  client(token?: string): VaultTestClient {
    return new VaultTestClient(this.call(token));
  }

  /** A websocket on /comms, authenticated with `token` when adminAuth is on, subscribed to `topics`. */
  async openComms(token?: string, topics: string[] = ['#']): Promise<CommsClient> {
    const comms = await CommsClient.connect(`${this.url.replace(/^http/, 'ws')}comms`, token, topics);
    this.comms.add(comms);
    return comms;
  }

  /**
   * Deploy `flows` with POST /flows (a full deployment, as the editor does) and wait until
   * Node-RED has started them.
   */
  async deployFlows(flows: unknown[], token?: string): Promise<void> {
    const started = this.logLines(/Started flows/).length;
    const res = await fetch(`${this.url}flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'node-red-deployment-type': 'full', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(flows),
    });
    if (res.status !== 204 && res.status !== 200) throw new Error(`POST /flows: ${res.status} ${await res.text()}`);
    await this.waitForLog(/Started flows/, 30_000, started + 1);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; removes the user directory if this helper made it. */
  async stop(graceMs = 10_000): Promise<void> {
    for (const c of this.comms) c.close();
    this.comms.clear();
    if (this.exitCode === undefined) {
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = await Promise.race([
        this.exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (killed) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    if (this.ownsUserDir) rmSync(this.userDir, { recursive: true, force: true });
  }

  /** The log lines matching `re`, in order. */
  logLines(re: RegExp): string[] {
    return this.output.split('\n').filter((l) => re.test(l));
  }

  private append(data: string): void {
    this.output += data;
  }

  /** The listen message comes just before the server accepts; make sure the admin API answers. */
  private async waitForAdminApi(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${this.url}auth/login`);
        if (res.status === 200) return;
      } catch (e) {
        if (attempt >= 50 || this.exitCode !== undefined) throw new Error(`Node-RED admin API does not answer: ${String(e)}\n${this.output}`, { cause: e });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Start a real Node-RED (see RealNodeRed). */
export function startNodeRed(options: RealNodeRedOptions = {}): Promise<RealNodeRed> {
  return RealNodeRed.start(options);
}

/** <userDir>/node_modules/@nr-vault/node-red-vault → the project root, listed in <userDir>/package.json. */
export function installPackage(userDir: string): void {
  const scopeDir = join(userDir, 'node_modules', '@nr-vault');
  mkdirSync(scopeDir, { recursive: true });
  rmSync(join(scopeDir, 'node-red-vault'), { force: true, recursive: true });
  symlinkSync(ROOT, join(scopeDir, 'node-red-vault'), 'dir');
  writeFileSync(
    join(userDir, 'package.json'),
    JSON.stringify({ name: 'node-red-project', private: true, dependencies: { [PACKAGE_NAME]: `file:${ROOT}` } }, null, 2),
  );
}

function settingsJs(userDir: string, options: RealNodeRedOptions): string {
  const settings: Record<string, unknown> = {
    uiHost: '127.0.0.1',
    uiPort: 0,
    userDir,
    flowFile: 'flows.json',
    credentialSecret: 'real-node-red test credential secret',
    logging: { console: { level: options.logLevel ?? 'info', metrics: false, audit: false } },
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: true, ui: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
    editorTheme: { tours: false, projects: { enabled: false } },
  };
  if (options.users && options.users.length > 0) {
    settings.adminAuth = {
      type: 'credentials',
      users: options.users.map((u) => ({ username: u.username, password: bcrypt.hashSync(u.password, 8), permissions: u.permissions })),
    };
  }
  if (options.vault) settings.vault = options.vault;
  Object.assign(settings, options.settings);
  // A logger that reports the listen address (port 0 picks a free one) even when the console level hides it.
  return [
    '// Generated by test/helpers/real-node-red.ts',
    `const settings = ${JSON.stringify(settings, null, 2)};`,
    'settings.logging = settings.logging || {};',
    'settings.logging.realNodeRedListen = { level: "info", metrics: false, audit: false, handler: () => (m) => {',
    '  const at = /Server now running at (http:\\/\\/\\S+)/.exec(String(m.msg));',
    '  if (at) process.stdout.write("[real-node-red] listening at " + at[1] + "\\n");',
    '} };',
    // If the test process dies without stopping this Node-RED (SIGKILL, a killed mocha), exit too.
    `const parent = ${process.pid};`,
    'setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 1000).unref();',
    'module.exports = settings;',
    '',
  ].join('\n');
}
