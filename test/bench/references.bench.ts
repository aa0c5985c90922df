import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Issue 14's benchmarks (never asserted): flow start with 0 and 100 `${vault:…}` references, the
 * time from an item edit to the node running with the new value (median, p99), and a node whose
 * value came from a reference against the same node with it literally (the message path is
 * untouched: substitution happens once, when the node is created). Runs in a process of its own
 * (references-child.ts). Environment: NR_VAULT_BENCH_REF_STARTS (7), NR_VAULT_BENCH_REF_EDITS (50),
 * NR_VAULT_BENCH_REF_MESSAGES (200,000).
 */
export function run(): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'references-child.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('ROWS '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(5)) as Record<string, unknown>[]);
      else reject(new Error(`the references benchmark exited with ${code}: ${out.slice(-500)}`));
    });
  });
}
