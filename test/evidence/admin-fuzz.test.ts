import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ERROR_CODES, newId, toB64, sodiumReady } from '../../credentials';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import { runningVaultRuntime } from '../../nodes/runtime';
import { fetchCall, VaultTestClient, type Call, type TestVault } from '../helpers/vault-client';
import { evidenceSize } from './size';

const CASES = evidenceSize('FUZZ_CASES', 10_000, 500);
const CODES = new Set<string>(ERROR_CODES);

/** A small seeded generator, so a failing case can be replayed from its number. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, bytes };
}

type Rng = ReturnType<typeof prng>;

const WEIRD_VALUES = (r: Rng): unknown[] => [
  null, true, 0, -1, 1.5, 1e308, '', ' ', 'x'.repeat(70_000), '\u0000', '☂️', [], [1, 'a'], {}, { a: { b: { c: [] } } },
  toB64(r.bytes(r.int(200))), 'AAAA', '../../etc/passwd', '<script>alert(1)</script>', { wrapped: 1, nonce: [], ct: {} },
];

/** `keep` names the keys that make a template invalid (a wrong ifVersion): they are never confused away. */
function confuse(r: Rng, body: Record<string, unknown>, keep: readonly string[]): unknown {
  const out: Record<string, unknown> = { ...body };
  const keys = Object.keys(out).filter((k) => !keep.includes(k));
  if (keys.length === 0) return r.pick(WEIRD_VALUES(r));
  switch (r.int(5)) {
    case 0: out[r.pick(keys)] = r.pick(WEIRD_VALUES(r)); break;
    case 1: delete out[r.pick(keys)]; break;
    case 2: out[`extra${r.int(100)}`] = r.pick(WEIRD_VALUES(r)); break;
    case 3: return keep.length ? out : r.pick(WEIRD_VALUES(r));
    default: for (const k of keys) out[k] = r.pick(WEIRD_VALUES(r));
  }
  return out;
}

/** A body as text: valid JSON of a confused shape, truncated JSON, random bytes, or deep nesting. */
function bodyText(r: Rng, valid: Record<string, unknown>, keep: readonly string[]): string {
  const json = JSON.stringify(confuse(r, valid, keep)) ?? 'null';
  switch (r.int(6)) {
    case 0: return json.slice(0, r.int(json.length));
    case 1: return Buffer.from(r.bytes(r.int(300))).toString('latin1');
    case 2: return '['.repeat(2000 + r.int(5000));
    case 3: return JSON.stringify({ ...valid, padding: 'p'.repeat(4096 + r.int(10_000)) }); // unknown key or too big
    default: return json;
  }
}

describe('evidence: fuzzing the admin API', function () {
  this.timeout(600_000);
  const ctx = useNodeRed();
  let server: Server;
  let call: Call;
  let vault: TestVault;
  let itemId: string;
  let storeFile: string;

  beforeEach(async () => {
    await sodiumReady();
    await helper.load([vaultNode, getItemNode], []);
    // The helper's admin app on a real port, so 10,000 requests reuse connections.
    server = createServer(helper._httpAdmin).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    call = fetchCall(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const client = new VaultTestClient(call);
    vault = await client.createVault('Fuzz');
    itemId = (await client.putItem(vault, { name: 'Mail', type: 'smtp', plain: { host: 'h', from: 'f@x' }, secret: { password: 'canary-fuzz-pw' } })).id;
    storeFile = join(ctx.userDir, 'nr-vault.json');
  });

  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  const digest = () => createHash('sha256').update(readFileSync(storeFile)).digest('hex');

  it(`${CASES} malformed, truncated, oversized and type-confused requests: only 4xx with protocol codes, store unchanged`, async () => {
    const before = digest();
    const r = prng(20261122);
    const ids = () => r.pick([vault.id, vault.id, newId(), '', 'x'.repeat(65), '..%2F..', '%00', 'ü', 'a b', '*']);
    const validSealed = { wrapped: toB64(r.bytes(80)), nonce: toB64(r.bytes(24)), ct: toB64(r.bytes(40)) };
    const routes: { method: string; path: () => string; valid: () => Record<string, unknown>; keep?: string[] }[] = [
      { method: 'POST', path: () => 'vault/vaults', valid: () => ({ id: vault.id, name: 'n', share: toB64(r.bytes(32)), publicKey: toB64(r.bytes(32)) }), keep: ['id'] },
      { method: 'PUT', path: () => `vault/vaults/${ids()}/items/${r.pick([itemId, newId(), 'bad id'])}`, valid: () => ({ name: 'n', type: r.pick(['smtp', 'twilio', 'custom', 'nope']), plain: { host: 'h' }, secret: { password: validSealed }, ifVersion: 99 }), keep: ['ifVersion'] },
      { method: 'DELETE', path: () => `vault/vaults/${ids()}/items/${r.pick([newId(), 'bad id', ''])}`, valid: () => ({}) },
      { method: 'POST', path: () => `vault/vaults/${ids()}/unlock`, valid: () => ({ sealed: toB64(r.bytes(r.int(400))) }) },
      { method: 'POST', path: () => `vault/vaults/${r.pick(['nope', 'bad id'])}/lock`, valid: () => ({}) },
      { method: 'GET', path: () => `vault/vaults/${r.pick([newId(), 'bad id', 'x'.repeat(65)])}/items`, valid: () => ({}) },
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const route = r.pick(routes);
      const path = route.path();
      const text = route.method === 'GET' ? '' : bodyText(r, route.valid(), route.keep ?? []);
      const res = await call(route.method, path, route.method === 'GET' ? undefined : text);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const where = `case ${i}: ${route.method} ${path} ${JSON.stringify(text.slice(0, 80))}`;
      assert.ok(res.status >= 400 && res.status < 500, `${where} answered ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status !== 404 || res.body?.error) {
        assert.ok(CODES.has(res.body?.error?.code), `${where}: ${res.text.slice(0, 200)}`);
        assert.equal(typeof res.body.error.message, 'string');
      }
      assert.ok(!res.text.includes('canary-fuzz-pw'));
    }
    assert.equal(digest(), before, 'the store file is unchanged');
    const runtime = await call('GET', 'vault/runtime');
    assert.equal(runtime.status, 200, 'the runtime still answers');
    // Every 4xx family was reached, so the generator really explored the routes.
    for (const s of [400, 404, 409]) assert.ok((statuses.get(s) ?? 0) > 0, `some ${s} answers: ${JSON.stringify([...statuses])}`);
  });

  it('random bytes as item ciphertexts are stored, then read as `tampered` without a crash', async () => {
    const client = new VaultTestClient(call);
    assert.equal((await client.unlock(vault)).status, 200);
    const r = prng(7);
    const runtime = await runningVaultRuntime(ctx.userDir);
    for (let i = 0; i < 200; i++) {
      const id = newId();
      const sealed = { v: 2, wrapped: toB64(r.bytes(80)), nonce: toB64(r.bytes(24)), ct: toB64(r.bytes(16 + r.int(300))) };
      const res = await call('PUT', `vault/vaults/${vault.id}/items/${id}`, { name: 'r', type: 'custom', plain: {}, secret: { k: sealed } });
      assert.equal(res.status, 200, res.text);
      await assert.rejects(runtime.keyring.getItem(vault.id, id), (e: { code?: string }) => e.code === 'tampered');
    }
  });
});
