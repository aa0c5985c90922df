/**
 * The references benchmark's own process (Node-RED embeds once per process, and Get Item's
 * benchmark has it): prints its rows as one JSON line. Run by references.bench.ts.
 */
import { formatReference, newId, sodiumReady } from '../../credentials';
import { startNodeRed, type EmbeddedNodeRed } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';

const STARTS = Number(process.env.NR_VAULT_BENCH_REF_STARTS ?? 7);
const EDITS = Number(process.env.NR_VAULT_BENCH_REF_EDITS ?? 50);
const MESSAGES = Number(process.env.NR_VAULT_BENCH_REF_MESSAGES ?? 200_000);
const NODES = 100;

interface Events {
  once(event: string, fn: () => void): void;
}
interface Runtime {
  events: Events;
  nodes: { getNode(id: string): (Record<string, unknown> & { credentials?: Record<string, string>; receive(m: unknown): void; on(e: string, f: (m: unknown) => void): void }) | null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));

async function deploy(nr: EmbeddedNodeRed, flows: unknown[]): Promise<number> {
  const red = nr.RED as unknown as Runtime;
  const started = new Promise<void>((r) => red.events.once('flows:started', r));
  const t0 = performance.now();
  const res = await fetch(`${nr.url}flows`, { method: 'POST', headers: { 'content-type': 'application/json', 'node-red-deployment-type': 'full' }, body: JSON.stringify(flows) });
  if (res.status !== 204 && res.status !== 200) throw new Error(`POST /flows: ${res.status}`);
  await started;
  return performance.now() - t0;
}

/** 100 http request nodes with basic auth: literal passwords, or references to 10 items. */
function httpNodes(vault: TestVault | undefined, items: string[]): unknown[] {
  const nodes: unknown[] = [{ id: 'tab', type: 'tab', label: 'bench' }];
  for (let i = 0; i < NODES; i++) {
    const password = vault ? formatReference({ vault: vault.id, item: items[i % items.length], field: 'password' }) : `literal-${i}`;
    nodes.push({ id: `req${i}`, type: 'http request', z: 'tab', method: 'GET', ret: 'txt', url: 'http://127.0.0.1:9/', authType: 'basic', wires: [[]], credentials: { user: 'u', password } });
  }
  return nodes;
}

/** A change node setting msg.payload to a password: a reference or the same text literally. */
function changeFlow(reference: string): unknown[] {
  const change = (id: string, to: string, sink: string) => ({ id, type: 'change', z: 'tab', rules: [{ t: 'set', p: 'payload', pt: 'msg', to, tot: 'str' }], wires: [[sink]] });
  const sink = (id: string) => ({ id, type: 'function', z: 'tab', func: 'return null;', outputs: 0, wires: [] });
  return [{ id: 'tab', type: 'tab', label: 'bench' }, change('withRef', reference, 'sinkRef'), sink('sinkRef'), change('literal', 'same-length-password-0123', 'sinkLit'), sink('sinkLit')];
}

/** One input listener per sink for the whole run, pointed at the batch in progress. */
const sinks = new Map<string, () => void>();

function batch(red: Runtime, source: string, sink: string, count: number): Promise<number> {
  return new Promise((resolve) => {
    let arrived = 0;
    if (!sinks.has(sink)) red.nodes.getNode(sink)!.on('input', () => sinks.get(sink)!());
    const t0 = performance.now();
    sinks.set(sink, () => {
      if (++arrived === count) resolve(performance.now() - t0);
    });
    const src = red.nodes.getNode(source)!;
    for (let i = 0; i < count; i++) src.receive({ payload: 'x' });
  });
}

async function main(): Promise<void> {
  await sodiumReady();
  const nr = await startNodeRed({ embedded: true, flows: [] });
  const red = nr.RED as unknown as Runtime;
  const client = nr.client();
  const vault = await client.createVault('Bench');
  const items: string[] = [];
  for (let i = 0; i < 10; i++) {
    const put = await client.putItem(vault, { name: `login ${i}`, type: 'login', plain: { username: 'u' }, secret: { password: `pw-${i}-0123456789` } });
    items.push(put.id);
  }
  await client.unlock(vault);
  const rows: Record<string, unknown>[] = [];

  // Flow start: a full deploy of 100 nodes, until Node-RED says the flows started.
  const startWith: Record<string, number[]> = { literal: [], reference: [] };
  for (let i = 0; i < STARTS; i++) {
    startWith.literal.push(await deploy(nr, httpNodes(undefined, items)));
    startWith.reference.push(await deploy(nr, httpNodes(vault, items)));
  }
  rows.push({ name: `flow start, ${NODES} http request nodes, 0 references`, value: ms(median(startWith.literal)), unit: 'ms (median)', note: `${STARTS} full deploys` });
  rows.push({ name: `flow start, ${NODES} http request nodes, ${NODES} references (10 items)`, value: ms(median(startWith.reference)), unit: 'ms (median)', note: `${STARTS} full deploys` });

  // Edit → the node runs with the new value (item written through the admin API, node restarted).
  await deploy(nr, httpNodes(vault, [items[0]]).slice(0, 2));
  const lags: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const value = `edited-${i}-${newId()}`;
    const t0 = performance.now();
    const put = await client.putItem(vault, { id: items[0], name: 'login 0', type: 'login', plain: { username: 'u' }, secret: { password: value } });
    if (put.status !== 200) throw new Error(`PUT: ${put.status}`);
    for (;;) {
      if (red.nodes.getNode('req0')?.credentials?.password === value) break;
      if (performance.now() - t0 > 10_000) throw new Error('the node did not get the edited value within 10 s');
      await new Promise((r) => setImmediate(r));
    }
    lags.push(performance.now() - t0);
  }
  rows.push({ name: 'item edit → node running with the new value', value: ms(median(lags)), unit: 'ms (median)', note: `p99 ${ms(percentile(lags, 99))} ms; ${EDITS} edits, from the PUT to the restarted node (the PUT included)` });

  // The message path: a change node whose value came from a reference vs one with a literal.
  await deploy(nr, changeFlow(formatReference({ vault: vault.id, item: items[1], field: 'password' })));
  let tRef = 0;
  let tLit = 0;
  const size = 5000;
  for (let i = 0; i < MESSAGES / size; i++) {
    if (i % 2 === 0) {
      tRef += await batch(red, 'withRef', 'sinkRef', size);
      tLit += await batch(red, 'literal', 'sinkLit', size);
    } else {
      tLit += await batch(red, 'literal', 'sinkLit', size);
      tRef += await batch(red, 'withRef', 'sinkRef', size);
    }
  }
  const rate = (t: number) => Math.round(MESSAGES / (t / 1000));
  rows.push({ name: 'change node, value from a reference', value: rate(tRef).toLocaleString('en'), unit: 'msg/s', note: `${MESSAGES.toLocaleString('en')} messages, alternating batches` });
  rows.push({ name: 'change node, the same value literally', value: rate(tLit).toLocaleString('en'), unit: 'msg/s', note: `reference/literal = ${(tLit / tRef).toFixed(2)}` });
  process.stdout.write(`\nROWS ${JSON.stringify(rows)}\n`);
  await nr.stop();
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
