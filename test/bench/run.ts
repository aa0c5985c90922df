import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run bench`: runs the `run()` of every test/bench/*.bench module (compiled to
 * dist/test/bench), prints one table with the machine it ran on, and writes it to
 * test-output/bench.md. Benchmarks are figures, never assertions. NR_VAULT_BENCH_ONLY=name,name
 * runs only those modules (e.g. "get-item").
 */
export interface BenchRow {
  name: string;
  value: string;
  unit: string;
  note?: string;
}

interface Line extends BenchRow {
  bench: string;
}

const ROOT = join(__dirname, '..', '..', '..');

function machine(): string {
  const cpu = cpus();
  const [one, five] = loadavg();
  return [
    `CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores`,
    `memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `Node.js ${process.version} (${process.platform} ${process.arch})`,
    `load average at start: ${one.toFixed(1)} (1 min), ${five.toFixed(1)} (5 min)`,
  ].join('; ');
}

const num = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en') : String(v));

/** A row in the common shape; other shapes (e.g. the PostgreSQL store's own rows) are mapped. */
function normalise(row: Record<string, unknown>): BenchRow {
  if (typeof row.name === 'string' && row.value !== undefined && typeof row.unit === 'string') {
    return { name: row.name, value: String(row.value), unit: row.unit, note: typeof row.note === 'string' ? row.note : undefined };
  }
  const name = [
    row.operation,
    row.items === undefined ? undefined : `${num(row.items)} items`,
    row.concurrency === undefined ? undefined : `${num(row.concurrency)} in flight`,
  ].filter((x) => x !== undefined).join(', ') || JSON.stringify(row);
  const latency = row.p50Ms === undefined ? undefined : `p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms`;
  const calls = row.calls === undefined ? undefined : `${num(row.calls)} calls`;
  if (typeof row.perSecond === 'number') {
    return { name, value: num(row.perSecond), unit: 'ops/s', note: [latency, calls].filter(Boolean).join('; ') };
  }
  if (row.p50Ms !== undefined) {
    return { name, value: String(row.p50Ms), unit: 'ms (p50)', note: [`p99 ${row.p99Ms} ms`, calls].filter(Boolean).join('; ') };
  }
  return { name, value: '', unit: '', note: JSON.stringify(row) };
}

function table(lines: Line[]): string {
  const head = ['bench', 'measure', 'value', 'unit', 'note'];
  const body = lines.map((l) => [l.bench, l.name, l.value, l.unit, l.note ?? ''].map((c) => c.replace(/\|/g, '\\|')));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  return [row(head), `|${widths.map((w, i) => (i === 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...body.map(row)].join('\n');
}

async function main(): Promise<void> {
  const only = process.env.NR_VAULT_BENCH_ONLY?.split(',').map((s) => s.trim());
  const modules = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .map((f) => f.slice(0, -'.bench.js'.length))
    .filter((name) => !only || only.includes(name))
    .sort();
  const about = machine();
  console.log(`nr-vault benchmarks: ${modules.join(', ')}\n${about}\n`);
  const lines: Line[] = [];
  for (const bench of modules) {
    const started = Date.now();
    process.stderr.write(`running ${bench} ...\n`);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(__dirname, `${bench}.bench.js`)) as { run?: () => Promise<Record<string, unknown>[]> };
      if (typeof mod.run !== 'function') throw new Error('exports no run()');
      for (const r of await mod.run()) lines.push({ bench, ...normalise(r) });
    } catch (e) {
      lines.push({ bench, name: 'failed', value: '', unit: '', note: e instanceof Error ? e.message.split('\n')[0] : String(e) });
    }
    process.stderr.write(`${bench}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  const text = table(lines);
  console.log(text);
  const out = join(ROOT, 'test-output');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.md'), `# nr-vault benchmarks\n\n${new Date().toISOString()}; ${about}\n\n${text}\n`);
  console.log(`\nwritten to ${join('test-output', 'bench.md')}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
