import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { newVaultRecord, newVsk, sodiumReady, wipe } from '../../credentials';
import type { FleetTarget } from '../../admin/cli/fleet-file';
import { unlockFleet } from '../../admin/cli/fleet-unlock';
import { KnownRuntimes } from '../../admin/cli/known-runtimes';
import { adminRootUrl } from '../../admin/cli/runtime-url';
import { MiniVaultServer } from '../helpers/mini-vault-server';
import { ADMIN, NODE_RED_VERSION, startNodeRed, type NodeRedProcess } from '../helpers/node-red';

interface Row {
  name: string;
  value: string;
  unit: string;
  note?: string;
}

const RUNTIMES = 20;
const ROUNDS = 5;
const VAULT_ID = 'benchvault';

/** One runtime of the benchmark: where it is, its token, how to lock the vault again, how to stop it. */
interface BenchRuntime {
  url: string;
  token: string;
  lock(): Promise<void>;
  stop(): Promise<void>;
}

function vaultRecord(vsk: Uint8Array): { id: string; name: string; share: string; publicKey: string } {
  return newVaultRecord('Bench', VAULT_ID, vsk).record;
}

async function post(url: string, token: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status}`);
}

/** 20 real Node-RED processes (started 5 at a time, so 2 cores are not swamped). */
async function startNodeReds(vsk: Uint8Array): Promise<BenchRuntime[]> {
  const started: NodeRedProcess[] = [];
  try {
    for (let i = 0; i < RUNTIMES; i += 5) {
      started.push(...(await Promise.all(Array.from({ length: Math.min(5, RUNTIMES - i) }, (_, k) => startNodeRed({ users: [ADMIN], vault: { runtimeName: `bench-${i + k + 1}` } })))));
    }
  } catch (e) {
    await Promise.all(started.map((r) => r.stop()));
    throw e;
  }
  return Promise.all(started.map(async (red) => {
    const token = await red.token();
    await post(`${red.url}vault/vaults`, token, vaultRecord(vsk));
    return { url: red.url, token, lock: () => post(`${red.url}vault/vaults/${VAULT_ID}/lock`, token, {}), stop: () => red.stop() };
  }));
}

/** Fallback: real VaultRuntimes behind minimal HTTP servers speaking the same routes. */
async function startMiniServers(vsk: Uint8Array): Promise<BenchRuntime[]> {
  return Promise.all(Array.from({ length: RUNTIMES }, async (_, i) => {
    const token = `bench-token-${i}`;
    const server = await MiniVaultServer.start({ token, name: `bench-${i + 1}` });
    const r = vaultRecord(vsk);
    await server.runtime.store.createVault({ ...r, createdAt: new Date().toISOString() });
    return { url: server.url, token, lock: async () => void server.runtime.keyring.lock(VAULT_ID), stop: () => server.stop() };
  }));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Fleet unlock of 20 runtimes: all in parallel against one after another (median of 5 rounds each). */
export async function run(): Promise<Row[]> {
  await sodiumReady();
  const vsk = newVsk();
  let runtimes: BenchRuntime[];
  let kind: string;
  if (process.env.NR_VAULT_BENCH_RUNTIMES === 'mini') {
    runtimes = await startMiniServers(vsk);
    kind = 'VaultRuntimes behind minimal HTTP servers (NR_VAULT_BENCH_RUNTIMES=mini)';
  } else {
    try {
      runtimes = await startNodeReds(vsk);
      kind = `real Node-RED ${NODE_RED_VERSION} processes with adminAuth`;
    } catch (e) {
      runtimes = await startMiniServers(vsk);
      kind = `VaultRuntimes behind minimal HTTP servers (20 Node-RED processes did not start: ${e instanceof Error ? e.message.split('\n')[0] : 'error'})`;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'nr-vault-bench-'));
  try {
    const known = KnownRuntimes.load(join(dir, 'known_runtimes'));
    const targets: FleetTarget[] = runtimes.map((r, i) => ({ name: `bench-${i + 1}`, base: adminRootUrl(r.url), credentials: { kind: 'token', token: r.token } }));
    const once = async (concurrency: number): Promise<number> => {
      await Promise.all(runtimes.map((r) => r.lock()));
      const t0 = performance.now();
      const results = await unlockFleet(targets, { vaultRef: VAULT_ID, vsk, known, acceptNewFingerprint: false, timeoutMs: 30_000, concurrency });
      const ms = performance.now() - t0;
      const failed = results.filter((r) => r.error);
      if (failed.length) throw new Error(`fleet bench: ${failed.length} failed, first: ${failed[0]?.error?.code}: ${failed[0]?.error?.message}`);
      return ms;
    };
    await once(RUNTIMES); // warm up: first contact pins, connections, JIT
    const parallel: number[] = [];
    const sequential: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      parallel.push(await once(RUNTIMES));
      sequential.push(await once(1));
    }
    const p = median(parallel);
    const s = median(sequential);
    const note = `${RUNTIMES} ${kind} on loopback; median of ${ROUNDS} rounds; each unlock = GET vault/runtime + identity proof (POST vault/runtime/proof) + pin check + GET vault/vaults + local key check + sealed POST unlock + GET of its approval (pinned after the warm-up; written only the first time); 1-min load average ${loadavg()[0]?.toFixed(1)} on this machine`;
    return [
      { name: `fleet unlock of ${RUNTIMES} runtimes, in parallel (wall time)`, value: p.toFixed(0), unit: 'ms', note },
      { name: `fleet unlock of ${RUNTIMES} runtimes, one after another (wall time)`, value: s.toFixed(0), unit: 'ms', note },
      { name: 'fleet unlock: parallel speed-up', value: (s / p).toFixed(1), unit: 'x' },
      { name: 'fleet unlock: one runtime, one after another', value: (s / RUNTIMES).toFixed(1), unit: 'ms/runtime' },
    ];
  } finally {
    wipe(vsk);
    await Promise.all(runtimes.map((r) => r.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then((rows) => {
    for (const r of rows) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? `  (${r.note})` : ''}`);
  }, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
