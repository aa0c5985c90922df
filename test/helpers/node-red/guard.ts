import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * The one guard that keeps Node-RED processes from outliving the test run, in two halves:
 * - while mocha exits (normally, or on an uncaught error), every process still registered is killed
 *   with its process group (Node-RED, and Python's pty parent in tty mode);
 * - if mocha is killed outright (SIGKILL: no exit handler runs), each Node-RED notices within a
 *   second that the test process is gone and exits by itself (parent-watch.ts, preloaded into every
 *   node process started with guardEnv(), including those `npm start` starts).
 */
const running = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/** Register a Node-RED process started in its own process group (spawn with `detached: true`). */
export function guard(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Signal the child's whole process group; false if it is already gone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Environment for a guarded process: preload parent-watch.js, naming this test process. */
export function guardEnv(): Record<string, string> {
  const preload = `--require "${join(__dirname, 'parent-watch.js')}"`;
  return { NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '), NR_VAULT_TEST_PARENT: String(process.pid) };
}
