import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(__dirname, '..', '..', '..');

export interface StartedNodeRed {
  child: ChildProcess;
  /** The editor's URL (ends with /), once Node-RED listens. */
  url: Promise<string>;
  /** Everything Node-RED printed so far. */
  output(): string;
  /** Ends Node-RED and the start script (their own process group). */
  stop(): Promise<void>;
}

/** Runs `npm start`'s script (scripts/start.js) on a free port with the given user directory. */
export function startNodeRed(userDir: string, env: Record<string, string> = {}): StartedNodeRed {
  const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'start.js')], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', NR_VAULT_USER_DIR: userDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends Node-RED too
  });
  let out = '';
  const url = new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Server now running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolveUrl(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before serving:\n${out}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    child,
    url,
    output: () => out,
    stop: async () => {
      if (child.pid && child.exitCode === null && child.signalCode === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
        await exited;
      }
    },
  };
}
