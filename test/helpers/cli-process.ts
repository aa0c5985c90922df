import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const MAIN = resolve(__dirname, '..', '..', 'admin', 'cli', 'main.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built `nr-vault` (dist/admin/cli/main.js) as a child process, stdin not a terminal. */
export function runCliProcess(args: string[], env: Record<string, string>, cwd?: string): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    const child = execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: cwd ?? '/nonexistent', ...env }, cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : error ? 1 : 0;
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}
