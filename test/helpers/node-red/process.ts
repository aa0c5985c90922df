import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommsClient } from '../comms-client';
import { fetchCall, VaultTestClient, type Call } from '../vault-client';
import { guard, guardEnv, killGroup } from './guard';
import { installPackage, PACKAGE_ROOT, type Install } from './install';
import { waitUntilReady } from './readiness';
import { RED_JS } from './selected';
import { LISTENING, settingsJs, STARTED_FLOWS, type NodeRedUser, type SettingsOptions } from './settings';

export interface ProcessOptions extends SettingsOptions {
  /** Written to <userDir>/flows.json before start. */
  flows?: unknown[];
  /** Use this user directory (kept on stop) instead of a fresh temp one (removed on stop). */
  userDir?: string;
  /** A fixed port (default 0: a free one, as Node-RED reports it). */
  port?: number;
  /** How the package gets into Node-RED (default "npm": as a user installs it; see install.ts). */
  install?: Install;
  /**
   * "npm-start": run the project's `npm start` script (scripts/start.js, which writes its own
   * settings.js on first start) instead of Node-RED with generated settings; settings options are ignored.
   */
  script?: 'npm-start';
  /** Run Node-RED on a pseudo-terminal (Python's pty module), so its stdin is a TTY; see type(). */
  tty?: boolean;
  /** Extra environment variables for the Node-RED process. */
  env?: Record<string, string>;
  /** Milliseconds to wait until it is ready (default 60 s: the machine is shared). */
  startTimeoutMs?: number;
}

/**
 * A real Node-RED process (the selected Node-RED's red.js, see selected.ts) on a loopback port,
 * with a generated settings.js and this package installed, in its own process group, guarded
 * (guard.ts) so that it never outlives the test run. Start it with startNodeRed (index.ts).
 */
export class NodeRedProcess {
  /** e.g. http://127.0.0.1:40123/ (admin root and node root are both "/"). */
  url = '';
  port = 0;
  private output = '';
  private readonly exited: Promise<void>;
  private readonly comms = new Set<CommsClient>();

  private constructor(
    readonly userDir: string,
    private ownsUserDir: boolean,
    readonly users: readonly NodeRedUser[],
    private readonly options: ProcessOptions,
    private readonly child: ChildProcess,
  ) {
    guard(child);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.output += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.output += d));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.output += `\n[nr-vault-test] Node-RED exited (${signal ?? code})\n`;
        resolve();
      });
    });
  }

  static async start(options: ProcessOptions = {}): Promise<NodeRedProcess> {
    const ownsUserDir = options.userDir === undefined;
    const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'nr-vault-red-'));
    mkdirSync(userDir, { recursive: true });
    const npmStart = options.script === 'npm-start';
    const install = npmStart ? 'nodesDir' : options.install ?? 'npm';
    if (install === 'npm') installPackage(userDir);
    if (options.flows) writeFileSync(join(userDir, 'flows.json'), JSON.stringify(options.flows, null, 2));
    const port = options.port ?? 0;
    let args: string[];
    if (npmStart) {
      args = [join(PACKAGE_ROOT, 'scripts', 'start.js')];
    } else {
      const settingsFile = join(userDir, 'settings.js');
      writeFileSync(settingsFile, settingsJs(userDir, port, { ...options, nodesDir: install === 'nodesDir' ? PACKAGE_ROOT : undefined }));
      args = [RED_JS, '--settings', settingsFile, '--userDir', userDir, '--port', String(port)];
    }
    const [command, argv] = options.tty
      ? ['python3', ['-c', 'import pty, sys; pty.spawn(sys.argv[1:])', process.execPath, ...args]]
      : [process.execPath, args];
    const child = spawn(command, argv, {
      cwd: npmStart ? PACKAGE_ROOT : userDir,
      env: {
        ...process.env,
        ...guardEnv(),
        NODE_RED_DISABLE_TELEMETRY: '1',
        NR_VAULT_STORE: '', // it would override the store the test's settings name
        ...(npmStart ? { PORT: String(port), NR_VAULT_USER_DIR: userDir } : {}),
        ...options.env,
      },
      stdio: [options.tty ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: stop() and the guard end Node-RED and a pty parent alike
    });
    const nr = new NodeRedProcess(userDir, ownsUserDir, options.users ?? [], options, child);
    try {
      const timeoutMs = options.startTimeoutMs ?? 60_000;
      const listening = npmStart ? /Server now running at (http:\/\/\S+)/ : LISTENING;
      const url = listening.exec(await nr.waitForLog(listening, timeoutMs))![1];
      nr.url = url.endsWith('/') ? url : `${url}/`;
      nr.port = Number(new URL(nr.url).port);
      await waitUntilReady(nr, { timeoutMs, vault: install !== 'none' });
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

  /** Whether the process has ended. */
  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** The log lines matching `re`, in order. */
  logLines(re: RegExp): string[] {
    return this.output.split('\n').filter((l) => re.test(l));
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
      const onData = (): void => void check();
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
      if (this.hasExited) return onExit();
      // Listen after the output collector (registered first), so check() sees the new data.
      this.child.stdout?.on('data', onData);
      this.child.stderr?.on('data', onData);
      this.child.once('exit', onExit);
    });
  }

  /**
   * A bearer token from POST /auth/token for `user` (one of the users, or its username; default
   * the first), with the user's own permissions as scope unless `scope` is given.
   */
  async token(who: NodeRedUser | string | undefined = this.users[0], scope?: string): Promise<string> {
    const user = typeof who === 'string' ? this.users.find((u) => u.username === who) : who;
    if (!user) throw new Error(`this Node-RED has no adminAuth user ${typeof who === 'string' ? who : ''}`);
    const res = await fetch(`${this.url}auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'node-red-admin', grant_type: 'password', scope: scope ?? [user.permissions].flat().join(','),
        username: user.username, password: user.password,
      }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST /auth/token as ${user.username}: ${res.status} ${text}`);
    return (JSON.parse(text) as { access_token: string }).access_token;
  }

  /** The admin API of this process (relative paths such as "vault/vaults"). */
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
   * Deploy `flows` with POST /flows (a full deployment, as the editor does) and wait until Node-RED
   * has started them (whatever the log level; not with script "npm-start", whose settings are its own).
   */
  async deployFlows(flows: unknown[], token?: string): Promise<void> {
    const started = this.logLines(STARTED_FLOWS).length;
    const res = await fetch(`${this.url}flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'node-red-deployment-type': 'full', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(flows),
    });
    if (res.status !== 204 && res.status !== 200) throw new Error(`POST /flows: ${res.status} ${await res.text()}`);
    await this.waitForLog(STARTED_FLOWS, 30_000, started + 1);
  }

  /** Type into the process's terminal (tty mode). */
  type(text: string): void {
    if (!this.options.tty) throw new Error('type() needs a Node-RED started with tty: true');
    this.child.stdin?.write(text);
  }

  /**
   * SIGTERM (or SIGKILL with `kill`), SIGKILL after `graceMs`; removes the user directory if the
   * harness made it, unless `keepUserDir`.
   */
  async stop(options: { graceMs?: number; kill?: boolean; keepUserDir?: boolean } = {}): Promise<void> {
    for (const c of this.comms) c.close();
    this.comms.clear();
    if (killGroup(this.child, options.kill ? 'SIGKILL' : 'SIGTERM')) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.graceMs ?? 10_000)));
      if (await Promise.race([this.exited.then(() => false), late])) killGroup(this.child, 'SIGKILL');
      clearTimeout(timer);
      await this.exited;
    }
    if (this.ownsUserDir && !options.keepUserDir) rmSync(this.userDir, { recursive: true, force: true });
  }

  /**
   * Stop, then start again on the same user directory and port, with these options over the
   * first start's (flows are not rewritten unless given). The new process owns the directory.
   */
  async restart(options: ProcessOptions = {}): Promise<NodeRedProcess> {
    await this.stop({ keepUserDir: true });
    const { flows: _flows, ...first } = this.options;
    const next = await NodeRedProcess.start({ ...first, ...options, userDir: this.userDir, port: this.port });
    next.ownsUserDir = this.ownsUserDir;
    this.ownsUserDir = false;
    return next;
  }
}
