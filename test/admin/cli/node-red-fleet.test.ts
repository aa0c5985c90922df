import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatVsk, fromB64, newVaultRecord, newVsk, sodiumReady } from '../../../credentials';
import { sealedPayload } from '../../helpers/vault-client';
import { runCliProcess } from '../../helpers/cli-process';
import { ADMIN, startNodeRed, type NodeRedProcess } from '../../helpers/node-red';

/** POST a vault record with a known VSK to a runtime's admin API. */
async function createVault(red: NodeRedProcess, token: string, id: string, name: string, vsk: Uint8Array): Promise<void> {
  const res = await fetch(`${red.url}vault/vaults`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(newVaultRecord(name, id, vsk).record),
  });
  assert.equal(res.status, 201, await res.text());
}

async function isUnlocked(red: NodeRedProcess, token: string, id: string): Promise<boolean> {
  const res = await fetch(`${red.url}vault/vaults`, { headers: { authorization: `Bearer ${token}` } });
  const vaults = (await res.json()) as { id: string; unlocked: boolean }[];
  return vaults.find((v) => v.id === id)?.unlocked === true;
}

describe('nr-vault against three real Node-RED processes with adminAuth', function () {
  this.timeout(120_000);
  const reds: NodeRedProcess[] = [];
  const tokens: string[] = [];
  let home: string;
  let vsk: Uint8Array;
  let env: Record<string, string>;

  before(async () => {
    await sodiumReady();
    home = mkdtempSync(join(tmpdir(), 'nr-vault-fleet-e2e-'));
    reds.push(...(await Promise.all([1, 2, 3].map((i) => startNodeRed({ users: [ADMIN], vault: { runtimeName: `line-${i}` } })))));
    for (const red of reds) tokens.push(await red.token());
    vsk = newVsk();
    for (const [i, red] of reds.entries()) await createVault(red, tokens[i] ?? '', 'prod', 'Production', vsk);
    env = {
      NR_VAULT_SECRET: formatVsk(vsk), NR_VAULT_KNOWN_RUNTIMES: join(home, 'known_runtimes'),
      TOKEN_1: tokens[0] ?? '', TOKEN_2: tokens[1] ?? '', PASSWORD_3: ADMIN.password,
    };
    writeFileSync(join(home, 'fleet.json'), JSON.stringify({ runtimes: [
      { name: 'line-1', url: reds[0]?.url, tokenEnv: 'TOKEN_1' },
      { name: 'line-2', url: reds[1]?.url, tokenEnv: 'TOKEN_2' },
      { name: 'line-3', url: reds[2]?.url, user: ADMIN.username, passwordEnv: 'PASSWORD_3' },
    ] }, null, 2));
  });

  after(async () => {
    await Promise.all(reds.map((r) => r.stop()));
    rmSync(home, { recursive: true, force: true });
  });

  const lock = async (): Promise<void> => {
    for (const [i, red] of reds.entries()) {
      const res = await fetch(`${red.url}vault/vaults/prod/lock`, { method: 'POST', headers: { authorization: `Bearer ${tokens[i]}` } });
      assert.equal(res.status, 200);
    }
  };

  it('one fleet file unlocks all three (tokens from the environment and a login), pinning each', async () => {
    const run = await runCliProcess(['fleet', join(home, 'fleet.json'), '--vault', 'Production'], env, home);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const name of ['line-1', 'line-2', 'line-3']) assert.match(run.stdout, new RegExp(`^ok +${name} .* vault "Production" \\(prod\\) unlocked`, 'm'));
    assert.match(run.stdout, /^fleet: 3 runtimes, 3 unlocked, 0 failed/m);
    for (const [i, red] of reds.entries()) assert.equal(await isUnlocked(red, tokens[i] ?? '', 'prod'), true);
    const pins = readFileSync(env.NR_VAULT_KNOWN_RUNTIMES ?? '', 'utf8');
    for (const red of reds) assert.match(pins, new RegExp(`^${red.url} [A-Za-z0-9_-]{43} `, 'm'));
    await lock();
  });

  it('a wrong VSK is reported per runtime, and appears in no output or log', async () => {
    const canary = formatVsk(newVsk());
    const run = await runCliProcess(['fleet', join(home, 'fleet.json'), '--vault', 'Production'], { ...env, NR_VAULT_SECRET: canary }, home);
    assert.equal(run.code, 1);
    for (const name of ['line-1', 'line-2', 'line-3']) assert.match(run.stdout, new RegExp(`^FAILED +${name} +\\S+ +wrong_secret: `, 'm'));
    assert.match(run.stdout, /^fleet: 3 runtimes, 0 unlocked, 3 failed/m);
    // The runtime's own check, too: a wrong key sealed and sent anyway is 422 wrong_secret.
    const rt = (await (await fetch(`${reds[0]?.url}vault/runtime`, { headers: { authorization: `Bearer ${tokens[0]}` } })).json()) as { id: string; publicKey: string };
    // Not the client's sealUnlock: it would refuse the wrong key before sending it.
    const body = { sealed: sealedPayload({ id: rt.id, publicKey: fromB64(rt.publicKey, 32) ?? new Uint8Array() }, 'prod', canary) };
    const res = await fetch(`${reds[0]?.url}vault/vaults/prod/unlock`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` }, body: JSON.stringify(body),
    });
    assert.equal(res.status, 422);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'wrong_secret');
    for (const text of [run.stdout, run.stderr, ...reds.map((r) => r.log)]) assert.ok(!text.includes(canary.slice(5)));
  });

  it('a replayed sealed request is refused with 409 replay', async () => {
    const red = reds[0];
    assert.ok(red);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` };
    const rt = (await (await fetch(`${red.url}vault/runtime`, { headers })).json()) as { id: string; publicKey: string };
    const body = JSON.stringify({ sealed: sealedPayload({ id: rt.id, publicKey: fromB64(rt.publicKey, 32) ?? new Uint8Array() }, 'prod', formatVsk(vsk)) });
    const first = await fetch(`${red.url}vault/vaults/prod/unlock`, { method: 'POST', headers, body });
    assert.equal(first.status, 200);
    await lock();
    const again = await fetch(`${red.url}vault/vaults/prod/unlock`, { method: 'POST', headers, body });
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'replay');
    assert.equal(await isUnlocked(red, tokens[0] ?? '', 'prod'), false);
  });

  it('a runtime whose key file was replaced is refused (fingerprint_changed) and reported; the others are unlocked', async () => {
    const old = reds[1];
    assert.ok(old);
    await old.stop({ keepUserDir: true });
    unlinkSync(join(old.userDir, 'nr-vault-runtime-key.json')); // a new identity on the next start
    const restarted = await old.restart({ vault: { runtimeName: 'line-2' } });
    reds[1] = restarted;
    tokens[1] = await restarted.token();
    const run = await runCliProcess(['fleet', join(home, 'fleet.json'), '--vault', 'Production'], { ...env, TOKEN_2: tokens[1] }, home);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^ok +line-1 /m);
    assert.match(run.stdout, /^ok +line-3 /m);
    assert.match(run.stdout, new RegExp(`^FAILED +line-2 +\\S+ +fingerprint_changed: The runtime at ${restarted.url} shows fingerprint \\S+, but \\S+ pins \\S+: its key file was replaced`, 'm'));
    assert.match(run.stdout, /^fleet: 3 runtimes, 2 unlocked, 1 failed/m);
    assert.match(run.stderr, /^hint: fingerprint_changed: .*--accept-new-fingerprint/m);
    assert.equal(await isUnlocked(restarted, tokens[1], 'prod'), false, 'nothing was sent to it');
    const single = await runCliProcess(['unlock', restarted.url, '--vault', 'Production'], { ...env, NR_VAULT_TOKEN: tokens[1] }, home);
    assert.equal(single.code, 1);
    assert.match(single.stderr, /^nr-vault: error: fingerprint_changed: .*\nhint: /);
  });
});
