import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RED_JS } from './node-red/selected';

const root = resolve(__dirname, '../../..');

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

/**
 * A real Node-RED process loading this package through `nodesDir` (as `npm start` does), with its
 * own user directory, the given `vault` settings and flow; its output is kept for failure messages.
 */
export class NodeRedProcess {
  readonly userDir = mkdtempSync(join(tmpdir(), 'nr-vault-e2e-'));
  private child?: ChildProcess;
  output = '';
  port = 0;

  constructor(private readonly vault: Record<string, unknown>, private readonly flow: unknown[]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    this.port = await freePort();
    const settings = join(this.userDir, 'settings.js');
    writeFileSync(settings, `module.exports = ${JSON.stringify({
      uiHost: '127.0.0.1', uiPort: this.port, flowFile: 'flows.json', nodesDir: [root],
      logging: { console: { level: 'warn', metrics: false, audit: false } },
      editorTheme: { tours: false, projects: { enabled: false } },
      vault: { ...this.vault, adminUrl: this.url },
    }, null, 2)};\n`);
    writeFileSync(join(this.userDir, 'flows.json'), JSON.stringify(this.flow));
    const red = RED_JS;
    const child = spawn(process.execPath, [red, '--userDir', this.userDir, '--settings', settings, '--port', String(this.port), '--no-telemetry'], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d) => { this.output += String(d); });
    child.stderr?.on('data', (d) => { this.output += String(d); });
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Node-RED exited with ${child.exitCode}:\n${this.output}`);
      try {
        const res = await fetch(`${this.url}vault/runtime`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > end) throw new Error(`Node-RED did not start within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.userDir, { recursive: true, force: true });
  }
}
