import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileStore, fromB64, newId, newVaultRecord, sealField, sodiumReady, VaultRuntime, type ItemRecord, type ItemWrite,
} from '../../credentials';
import { applyItemWrite } from '../../credentials/store/apply-write';
import { NODE_RED_VERSION, startNodeRed, type RuntimeFlowNode } from '../helpers/node-red';
import { VaultTestClient, type TestVault } from '../helpers/vault-client';

/**
 * Issue 2's benchmarks (never asserted): Get Item against a change node in the same Node-RED
 * flow machinery, the first read after unlock, unlock time and file store write latency by the
 * number of items. `npm run bench` prints them with every other benchmark.
 * Environment: NR_VAULT_BENCH_MESSAGES (per path, default 200,000), NR_VAULT_BENCH_ITEMS (vault
 * sizes, default 10,1000,10000), NR_VAULT_BENCH_MASK=off (Get Item without debug masking).
 */
export interface BenchRow {
  name: string;
  value: string;
  unit: string;
  note?: string;
}

const MESSAGES = Number(process.env.NR_VAULT_BENCH_MESSAGES ?? 200_000);
const SIZES = (process.env.NR_VAULT_BENCH_ITEMS ?? '10,1000,10000').split(',').map(Number);
const SECRET = 'bench-secret-value-0123456789';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => (x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const int = (x: number) => Math.round(x).toLocaleString('en');

type Msg = Record<string, unknown>;

type FlowNode = RuntimeFlowNode;

/** The end of a measured path: one input listener for the whole run, pointed where needed. */
class Sink {
  handler: (msg: Msg) => void = () => undefined;
  constructor(node: FlowNode) {
    node.on('input', (msg) => this.handler(msg));
  }
}

/** Milliseconds for `count` messages through `source` → `sink`, from the first receive to the last arrival. */
function batch(source: FlowNode, sink: Sink, count: number): Promise<number> {
  return new Promise((resolve) => {
    let arrived = 0;
    const started = performance.now();
    sink.handler = () => {
      if (++arrived === count) resolve(performance.now() - started);
    };
    for (let i = 0; i < count; i++) source.receive({ payload: 'x', topic: 'bench' });
  });
}

/**
 * Two paths compared on a shared, noisy machine: batches of 5,000 messages alternate between them
 * (A B B A ...), so both see the same load; each path's rate is its messages over its summed time.
 */
async function compare(a: [FlowNode, Sink], b: [FlowNode, Sink], messages: number): Promise<{ a: number; b: number; ratios: number[] }> {
  const size = 5000;
  let ta = 0;
  let tb = 0;
  const ratios: number[] = [];
  for (let i = 0; i < messages / size; i++) {
    let x: number;
    let y: number;
    if (i % 2 === 0) {
      x = await batch(...a, size);
      y = await batch(...b, size);
    } else {
      y = await batch(...b, size);
      x = await batch(...a, size);
    }
    ta += x;
    tb += y;
    ratios.push(y / x);
  }
  return { a: (messages / ta) * 1000, b: (messages / tb) * 1000, ratios };
}

/** Get Item vs change node, and the first message through Get Item after an unlock, in one Node-RED. */
export async function flowBenchmarks(): Promise<BenchRow[]> {
  // Both paths end in the same kind of node: a change node without rules (cheap, and not a debug
  // node, whose deliveries the Get Item debug mask would clone).
  const flows = [
    { id: 'tab', type: 'tab', label: 'Bench' },
    { id: 'vcfg', type: 'vault', name: 'Bench', vaultId: 'bench-vault' },
    // The same property set by both: msg.payload = the password (a 29-character string).
    { id: 'getItem', type: 'vault-get-item', z: 'tab', vault: 'vcfg', item: 'bench-item', mode: 'field', field: 'password', property: 'payload', maskDebug: process.env.NR_VAULT_BENCH_MASK !== 'off', wires: [['sinkGet']] },
    { id: 'chg', type: 'change', z: 'tab', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: SECRET, tot: 'str' }], wires: [['sinkChange']] },
    { id: 'sinkGet', type: 'change', z: 'tab', rules: [], wires: [] },
    { id: 'sinkChange', type: 'change', z: 'tab', rules: [], wires: [] },
  ];
  const nr = await startNodeRed({ embedded: true, flows });
  try {
    const client = nr.client();
    const vault = await client.createVault('Bench', 'bench-vault');
    const put = await client.putItem(vault, { id: 'bench-item', name: 'Bench login', type: 'login', plain: { username: 'bench' }, secret: { password: SECRET } });
    if (put.status !== 200) throw new Error(`bench item: ${put.status}`);
    await unlock(client, vault);

    const get = nr.node('getItem');
    const change = nr.node('chg');
    const sinkGet = new Sink(nr.node('sinkGet'));
    const sinkChange = new Sink(nr.node('sinkChange'));
    // Warm both paths (JIT, the item cache), then measure them interleaved.
    await compare([get, sinkGet], [change, sinkChange], 10_000);
    const result = await compare([get, sinkGet], [change, sinkChange], MESSAGES);
    const g = result.a;
    const c = result.b;
    const ratios = [...result.ratios].sort((x, y) => x - y);

    // The first message after an unlock decrypts the item; later ones use the cache.
    const first: number[] = [];
    const cached: number[] = [];
    for (let i = 0; i < 30; i++) {
      await client.lock(vault);
      await unlock(client, vault);
      first.push(await oneMessage(get, sinkGet));
      cached.push(await oneMessage(get, sinkGet));
    }
    const note = `${int(MESSAGES)} messages each, in alternating batches of 5,000, Node-RED ${nodeRedVersion()} embedded`;
    return [
      { name: 'Get Item throughput (unlocked, cached item)', value: int(g), unit: 'msg/s', note },
      { name: 'change node throughput (same property, same harness)', value: int(c), unit: 'msg/s', note },
      { name: 'Get Item / change node', value: (g / c).toFixed(2), unit: 'ratio', note: `aim ≥ 0.90; per batch pair: p10 ${percentile(ratios, 10).toFixed(2)}, median ${median(ratios).toFixed(2)}, p90 ${percentile(ratios, 90).toFixed(2)}` },
      { name: 'first message through Get Item after unlock', value: ms(median(first)), unit: 'ms', note: `median of 30 unlocks (p90 ${ms(percentile(first, 90))} ms); the next message ${ms(median(cached))} ms` },
    ];
  } finally {
    await nr.stop();
  }
}

function nodeRedVersion(): string {
  return NODE_RED_VERSION;
}

async function unlock(client: VaultTestClient, vault: TestVault): Promise<void> {
  const res = await client.unlock(vault);
  if (res.status !== 200) throw new Error(`unlock: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Milliseconds from receive to arrival at the sink for one message. */
function oneMessage(source: FlowNode, sink: Sink): Promise<number> {
  return new Promise((resolve) => {
    const tag = newId();
    const started = performance.now();
    sink.handler = (msg) => {
      if (msg.topic === tag) resolve(performance.now() - started);
    };
    source.receive({ payload: 'x', topic: tag });
  });
}

interface Seeded {
  dir: string;
  vault: TestVault;
  itemId: string;
}

/** A store file with `count` sealed login items, written at once (item by item would be quadratic). */
async function seedStore(count: number): Promise<Seeded> {
  await sodiumReady();
  const dir = mkdtempSync(join(tmpdir(), 'nr-vault-bench-store-'));
  // A vault record made exactly as a client makes it.
  const { record, vsk } = newVaultRecord('Bench');
  const vaultId = record.id;
  const vault: TestVault = { id: vaultId, name: 'Bench', vsk, publicKey: fromB64(record.publicKey, 32)! };
  const items: Record<string, ItemRecord> = {};
  let itemId = '';
  for (let i = 0; i < count; i++) {
    itemId = newId();
    const plain = { url: `https://host-${i}.example.com`, username: `user-${i}` };
    const write: ItemWrite = {
      name: `Login ${i}`, type: 'login', plain,
      secret: { password: sealField(vault.publicKey, { vault: vaultId, item: itemId, field: 'password', type: 'login', plain }, `password-${i}`) },
    };
    items[itemId] = applyItemWrite(vaultId, itemId, undefined, write);
  }
  const data = {
    format: 1,
    vaults: { [vaultId]: { ...record, createdAt: new Date().toISOString() } },
    items: { [vaultId]: items },
    runtimes: {},
  };
  writeFileSync(join(dir, 'nr-vault.json'), JSON.stringify(data));
  return { dir, vault, itemId };
}

/** Unlock time (the sealed request, as the API gets it) and the first read, by vault size. */
async function unlockBenchmarks(size: number): Promise<BenchRow[]> {
  const seeded = await seedStore(size);
  const t0 = performance.now();
  const rt = await VaultRuntime.start(seeded.dir, { runtimeName: 'bench' });
  const startMs = performance.now() - t0;
  try {
    const client = new VaultTestClient(async (method, path) => {
      if (method === 'GET' && path === 'vault/runtime') return { status: 200, body: rt.info, text: '' };
      throw new Error(`unexpected ${method} ${path}`);
    });
    const unlockMs: number[] = [];
    const firstReadMs: number[] = [];
    const cachedReadMs: number[] = [];
    for (let i = 0; i < 30; i++) {
      rt.keyring.lock(seeded.vault.id);
      const sealed = await client.sealFor(seeded.vault.id, seeded.vault.vsk);
      let t = performance.now();
      await rt.keyring.unlockSealed(seeded.vault.id, sealed);
      unlockMs.push(performance.now() - t);
      t = performance.now();
      await rt.keyring.getItem(seeded.vault.id, seeded.itemId);
      firstReadMs.push(performance.now() - t);
      t = performance.now();
      await rt.keyring.getItem(seeded.vault.id, seeded.itemId);
      cachedReadMs.push(performance.now() - t);
    }
    return [
      { name: `unlock, ${int(size)} items`, value: ms(median(unlockMs)), unit: 'ms', note: `median of 30 sealed unlocks (p90 ${ms(percentile(unlockMs, 90))}); store open ${ms(startMs)} ms` },
      { name: `first read of an item after unlock, ${int(size)} items`, value: ms(median(firstReadMs)), unit: 'ms', note: `keyring.getItem, median of 30; cached read ${ms(median(cachedReadMs))} ms` },
    ];
  } finally {
    await rt.close();
    rmSync(seeded.dir, { recursive: true, force: true });
  }
}

/** File store: latency of one item write (the whole file is rewritten atomically) by vault size. */
async function writeBenchmarks(size: number): Promise<BenchRow[]> {
  const seeded = await seedStore(size);
  const store = new FileStore(join(seeded.dir, 'nr-vault.json'));
  await store.open();
  try {
    const latencies: number[] = [];
    const writes = size >= 10_000 ? 30 : 100;
    for (let i = 0; i < writes; i++) {
      const write: ItemWrite = {
        name: 'Login', type: 'login', plain: { username: `user-${i}` },
        secret: { password: sealField(seeded.vault.publicKey, { vault: seeded.vault.id, item: seeded.itemId, field: 'password', type: 'login', plain: { username: `user-${i}` } }, `new-${i}`) },
      };
      const t = performance.now();
      await store.putItem(seeded.vault.id, seeded.itemId, write);
      latencies.push(performance.now() - t);
    }
    return [{
      name: `file store write, ${int(size)} items`, value: ms(median(latencies)), unit: 'ms',
      note: `p50 of ${writes} putItem; p95 ${ms(percentile(latencies, 95))} ms`,
    }];
  } finally {
    await store.close();
    rmSync(seeded.dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  const rows = await flowBenchmarks();
  for (const size of SIZES) rows.push(...(await unlockBenchmarks(size)));
  for (const size of SIZES) rows.push(...(await writeBenchmarks(size)));
  return rows;
}

if (require.main === module) {
  run().then((rows) => console.table(rows), (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
