import { randomBytes } from 'node:crypto';
import type { ItemWrite, StoreChange } from '../../credentials';
import { PostgresStore } from '../../credentials/store/postgres-store';
import { PG_URL, dropSchema, randomSchema, sql } from '../helpers/postgres';

/**
 * Throughput and latency of the PostgreSQL store with 10, 1,000 and 100,000 items, and the delay
 * before a write through one store instance is heard by another (two runtimes). Never asserted:
 * `npm run build && node dist/test/bench/postgres-store.bench.js` prints the table.
 */
export interface Row {
  bench: string;
  items: number;
  operation: string;
  /** Calls in flight at once. */
  concurrency: number;
  calls: number;
  /** Absent for delays measured one at a time, where a rate would mean nothing. */
  perSecond?: number;
  p50Ms: number;
  p99Ms: number;
}

const SIZES = (process.env.NR_VAULT_BENCH_SIZES ?? '10,1000,100000').split(',').map(Number);
const SECONDS = Number(process.env.NR_VAULT_BENCH_SECONDS ?? 2);

const b64 = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The size of a real smtp item: a sealed 32-byte key, a 24-byte nonce, a 20-character password. */
function smtpWrite(tag: string): ItemWrite {
  return {
    name: `Mail ${tag}`, type: 'smtp',
    plain: { host: 'smtp.example.com', port: '587', secure: 'false', username: `user-${tag}`, from: 'flows@example.com' },
    secret: { password: { wrapped: b64(80), nonce: b64(24), ct: b64(36) } },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Run `call` from `concurrency` loops for `seconds`; every call's latency is kept. */
async function measure(operation: string, items: number, concurrency: number, seconds: number, call: (i: number) => Promise<unknown>): Promise<Row> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await call(next++);
      latencies.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  return {
    bench: 'postgres-store', items, operation, concurrency, calls: latencies.length,
    perSecond: Math.round(latencies.length / elapsed), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)),
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Write `count` items with 32 writes in flight (the seeding is itself a concurrent-write figure). */
async function seed(store: PostgresStore, count: number, items: number): Promise<Row> {
  const started = performance.now();
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(32, count) }, async () => {
    for (let i = next++; i < count; i = next++) {
      const t = performance.now();
      await store.putItem('bench', `item-${i}`, smtpWrite(String(i)));
      latencies.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  return {
    bench: 'postgres-store', items, operation: count < items ? `putItem (create, first ${count.toLocaleString('en')})` : 'putItem (create)',
    concurrency: Math.min(32, count), calls: count,
    perSecond: Math.round(count / elapsed), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)),
  };
}

/**
 * A write through `a` until `b` hears it, one at a time: from the call to B's change event, and
 * from A's acknowledgement to B's event (0 when B heard first).
 */
async function propagation(a: PostgresStore, b: PostgresStore, items: number, samples: number): Promise<Row[]> {
  const whole: number[] = [];
  const afterAck: number[] = [];
  for (let n = 0; n < samples; n++) {
    const id = `item-${n % items}`;
    const heard = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new Error(`no change heard for ${id} within 5 s`)); }, 5_000);
      const off = b.onChange((c: StoreChange) => {
        if (c.item === id && c.remote) { clearTimeout(timer); off(); resolve(performance.now()); }
      });
    });
    const t = performance.now();
    await a.putItem('bench', id, smtpWrite(`p${n}`));
    const acked = performance.now();
    const at = await heard;
    whole.push(at - t);
    afterAck.push(Math.max(0, at - acked));
  }
  return [
    summarize('write on A until B hears it', items, whole),
    summarize("B hears it after A's write returned", items, afterAck),
  ];
}

function summarize(operation: string, items: number, latencies: number[]): Row {
  latencies.sort((x, y) => x - y);
  return {
    bench: 'postgres-store', items, operation, concurrency: 1, calls: latencies.length, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)),
  };
}

/**
 * Items beyond the first 1,000 go in with one INSERT ... SELECT in the store's own row format:
 * 100,000 writes one by one would take minutes of commits and measure nothing new.
 */
async function bulkSeed(schema: string, from: number, to: number): Promise<void> {
  if (to <= from) return;
  const template = smtpWrite('bulk');
  await sql(
    `INSERT INTO "${schema}".items (id, vault, name, type, plain, secret, version, updated_at, state)
     SELECT 'item-' || n, 'bench', 'Mail ' || n, $1, $2::jsonb, $3::jsonb, 1, $4, NULL FROM generate_series($5::int, $6::int) AS n`,
    [template.type, JSON.stringify(template.plain), JSON.stringify(template.secret), new Date().toISOString(), from, to - 1],
  );
}

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of SIZES) {
    const schema = randomSchema();
    const a = new PostgresStore({ connectionString: PG_URL, schema, poolSize: 32 });
    const b = new PostgresStore({ connectionString: PG_URL, schema, poolSize: 32 });
    try {
      await a.open();
      await b.open();
      await a.createVault({ id: 'bench', name: 'Bench', share: b64(32), publicKey: b64(32), createdAt: new Date().toISOString() });
      rows.push(await seed(a, Math.min(size, 1_000), size));
      await bulkSeed(schema, 1_000, size);
      const pick = () => `item-${Math.floor(Math.random() * size)}`;
      for (const concurrency of [1, 16]) {
        rows.push(await measure('getItem', size, concurrency, SECONDS, () => a.getItem('bench', pick())));
        rows.push(await measure('putItem (update)', size, concurrency, SECONDS, () => a.putItem('bench', pick(), smtpWrite('u'))));
      }
      rows.push(await measure('listItems (whole vault)', size, 1, size >= 100_000 ? SECONDS * 2 : SECONDS, () => a.listItems('bench')));
      rows.push(...(await propagation(a, b, size, 200)));
    } finally {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(schema);
    }
  }
  return rows;
}

export function printTable(rows: Row[]): void {
  const head = ['items', 'operation', 'in flight', 'calls', 'per s', 'p50 ms', 'p99 ms'];
  const body = rows.map((r) => [r.items.toLocaleString('en'), r.operation, r.concurrency, r.calls, r.perSecond ?? '-', r.p50Ms, r.p99Ms].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((line) => line[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const cells of body) console.log(line(cells));
}

if (require.main === module) {
  run().then(printTable, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
