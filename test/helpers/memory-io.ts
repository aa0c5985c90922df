import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../admin/cli/cli-io';

/** One parent for every home this test process makes, removed when it exits (mocha --exit included). */
let parent: string | undefined;
function newHome(): string {
  if (!parent) {
    const dir = mkdtempSync(join(tmpdir(), 'nr-vault-homes-'));
    parent = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return mkdtempSync(join(parent, 'home-'));
}

/** A CliIo that keeps what the command printed, for in-process CLI tests. */
export interface MemoryIo extends CliIo {
  out: string[];
  err: string[];
  /** Everything printed, both streams. */
  all(): string;
}

export function memoryIo(env: Record<string, string | undefined> = {}, answers?: string[], home = newHome()): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  const queue = answers ? [...answers] : undefined;
  return {
    out, err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env, cwd: home, home,
    askHidden: queue ? async (q) => {
      err.push(q);
      const next = queue.shift();
      if (next === undefined) throw new Error('no more answers');
      return next;
    } : undefined,
    // Visible questions (a yes/no) take their answers from the same queue.
    ask: queue ? async (q) => {
      err.push(q);
      const next = queue.shift();
      if (next === undefined) throw new Error('no more answers');
      return next;
    } : undefined,
    readStdin: async () => '',
    all: () => out.join('') + err.join(''),
  };
}
