import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../admin/cli/cli-io';

/** A CliIo that keeps what the command printed, for in-process CLI tests. */
export interface MemoryIo extends CliIo {
  out: string[];
  err: string[];
  /** Everything printed, both streams. */
  all(): string;
}

export function memoryIo(env: Record<string, string | undefined> = {}, answers?: string[], home = mkdtempSync(join(tmpdir(), 'nr-vault-home-'))): MemoryIo {
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
    readStdin: async () => '',
    all: () => out.join('') + err.join(''),
  };
}
