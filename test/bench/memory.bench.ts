import { readFileSync } from 'node:fs';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { sleep } from '../helpers/wait';

/**
 * Issue 8: memory stays flat over 1,000,000 messages through Get Item in a real Node-RED process
 * (node-red-node-test-helper records every call with sinon, so it cannot be used for this). A
 * function node feeds messages with back-pressure; the bench reads the process's RSS from /proc.
 */
const MESSAGES = Number(process.env.NR_VAULT_BENCH_MEMORY_MESSAGES ?? 1_000_000);
const CHECKPOINTS = [0.1, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * MESSAGES));

const DRIVER = `
const n = Number(msg.req.query.n);
let sent = 0;
function batch() {
  // Back-pressure: at most 2,000 messages in flight, so memory measures the nodes, not a queue.
  if (sent - (global.get('count') || 0) > 2000) return setTimeout(batch, 1);
  for (let i = 0; i < 500 && sent < n; i++, sent++) node.send({ payload: sent });
  if (sent < n) setTimeout(batch, 0);
}
global.set('count', 0);
batch();
msg.payload = { started: n };
return [null, msg];`;

const COUNTER = `global.set('count', (global.get('count') || 0) + 1); return null;`;

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

export async function run(): Promise<{ name: string; value: string; unit: string; note?: string }[]> {
  let nr: NodeRedProcess | undefined;
  try {
    nr = await startNodeRed({ logLevel: 'warn' });
    const client = nr.client();
    const vault = await client.createVault('Memory');
    const { id } = await client.putItem(vault, { name: 'Login', type: 'login', plain: { username: 'u' }, secret: { password: 'memory-bench-secret' } });
    const flows = [
      { id: 'tab', type: 'tab', label: 'memory bench' },
      { id: 'v', type: 'vault', name: 'Memory', vaultId: vault.id },
      { id: 'in', type: 'http in', z: 'tab', url: '/bench/run', method: 'get', wires: [['driver']] },
      { id: 'driver', type: 'function', z: 'tab', func: DRIVER, outputs: 2, wires: [['get'], ['res']] },
      { id: 'get', type: 'vault-get-item', z: 'tab', vault: 'v', item: id, mode: 'field', field: 'password', property: 'payload', maskDebug: true, wires: [['count']] },
      { id: 'count', type: 'function', z: 'tab', func: COUNTER, outputs: 1, wires: [[]] },
      { id: 'in2', type: 'http in', z: 'tab', url: '/bench/count', method: 'get', wires: [['read']] },
      { id: 'read', type: 'function', z: 'tab', func: `msg.payload = { count: global.get('count') || 0 }; return msg;`, outputs: 1, wires: [['res']] },
      { id: 'res', type: 'http response', z: 'tab', wires: [] },
    ];
    const deploy = await nr.call()('POST', 'flows', flows);
    if (deploy.status !== 200 && deploy.status !== 204) throw new Error(`deploy: ${deploy.status} ${deploy.text}`);
    if ((await client.unlock(vault)).status !== 200) throw new Error('unlock failed');
    await sleep(500); // flows start after the deploy answers
    const pid = nr.pid!;
    const before = rssMiB(pid);
    const started = performance.now();
    const go = await fetch(`${nr.url}bench/run?n=${MESSAGES}`);
    if (!go.ok) throw new Error(`start: ${go.status}`);
    const samples: { at: number; rss: number }[] = [];
    for (const checkpoint of CHECKPOINTS) {
      for (;;) {
        const { count } = (await (await fetch(`${nr.url}bench/count`)).json()) as { count: number };
        if (count >= checkpoint) break;
        await sleep(100);
      }
      samples.push({ at: checkpoint, rss: rssMiB(pid) });
    }
    const seconds = (performance.now() - started) / 1000;
    const trail = samples.map((s) => `${(s.at / 1000).toLocaleString('en')}k: ${s.rss.toFixed(0)}`).join(', ');
    const first = samples[0];
    const last = samples[samples.length - 1];
    return [
      { name: `Node-RED RSS after ${MESSAGES.toLocaleString('en')} Get Item messages`, value: last.rss.toFixed(0), unit: 'MiB', note: `before ${before.toFixed(0)} MiB; ${trail} MiB; ${Math.round(MESSAGES / seconds).toLocaleString('en')} msg/s with back-pressure, real Node-RED process` },
      { name: `RSS change from ${(first.at / 1000).toLocaleString('en')}k to ${(last.at / 1000).toLocaleString('en')}k messages`, value: (last.rss - first.rss).toFixed(1), unit: 'MiB', note: 'flat memory: close to 0 (no forced GC)' },
    ];
  } finally {
    await nr?.stop();
  }
}

if (require.main === module) {
  run().then((rows) => console.table(rows), (e: unknown) => { console.error(e); process.exit(1); });
}
