import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileStore, formatVsk, Keyring, newRuntimeKeys, newUnlockPayload, newVaultRecord, newVsk, sealUnlockPayload, sodiumReady, VaultError, type RuntimeKeys,
} from '../../credentials';
import { UnlockGuard } from '../../credentials/unlock-guard';

const code = (e: unknown): string | undefined => (e instanceof VaultError ? e.code : undefined);

describe('unlock: the replay cache stays bounded and still refuses replays (issue 11, low)', () => {
  let dir: string;
  let store: FileStore;
  let runtime: RuntimeKeys;
  let keyring: Keyring;
  let now: number;
  let vsk: string;
  const vaultId = 'v1';

  beforeEach(async () => {
    await sodiumReady();
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-replay-'));
    store = new FileStore(join(dir, 's.json'));
    await store.open();
    const made = newVaultRecord('V', vaultId);
    await store.createVault({ ...made.record, createdAt: new Date().toISOString() });
    vsk = made.vsk;
    runtime = newRuntimeKeys();
    now = Date.parse('2026-01-01T00:00:00Z');
    keyring = new Keyring(store, runtime, { now: () => now });
  });

  afterEach(async () => {
    keyring.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sealed = (secret: string): string => sealUnlockPayload(newUnlockPayload(runtime.id, vaultId, secret, now), runtime.publicKey);
  const attempt = async (request: string): Promise<string> => {
    try {
      await keyring.unlockSealed(vaultId, request);
      return 'ok';
    } catch (e) {
      return code(e) ?? String(e);
    }
  };

  it('a flood of distinct nonces that fail the cheap checks (format, rate) is not remembered', async () => {
    const answers = new Map<string, number>();
    const count = (a: string): void => void answers.set(a, (answers.get(a) ?? 0) + 1);
    for (let i = 0; i < 150; i++) count(await attempt(sealed('vsk1_not-a-key')));
    for (let i = 0; i < 150; i++) count(await attempt(sealed(formatVsk(newVsk()))));
    assert.deepEqual(Object.fromEntries(answers), { invalid_secret_format: 150, wrong_secret: 10, rate_limited: 140 });
    // Only the ten requests that reached the key check hold a place in the cache.
    assert.equal(keyring.rememberedNonces, 10);
  });

  it('a replay is refused inside the window, also when it first failed, and after a flood', async () => {
    now += 61_000; // out of the wrong-secret window of the test before (a fresh keyring anyway)
    const good = sealed(vsk);
    assert.equal(await attempt(good), 'ok');
    assert.equal(await attempt(good), 'replay');
    const wrong = sealed(formatVsk(newVsk()));
    assert.equal(await attempt(wrong), 'wrong_secret');
    assert.equal(await attempt(wrong), 'replay');
    for (let i = 0; i < 100; i++) await attempt(sealed('vsk1_flood'));
    now += 299_000; // still fresh (iat within 300 s)
    assert.equal(await attempt(good), 'replay');
  });

  it('the cache holds at most 10,000 nonces; when full, new requests wait (rate_limited), old ones stay refused', () => {
    let t = 0;
    const guard = new UnlockGuard(() => t);
    guard.rememberNonce('first');
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      t += 1; // 20 s for the whole flood: every nonce is inside the 600 s window
      try {
        guard.checkReplay(`n${i}`);
        guard.rememberNonce(`n${i}`);
      } catch (e) {
        assert.equal(code(e), 'rate_limited');
        refused++;
      }
    }
    assert.equal(guard.rememberedNonces, 10_000);
    assert.equal(refused, 10_001);
    assert.throws(() => guard.checkReplay('first'), (e) => code(e) === 'replay');
    assert.throws(() => guard.checkReplay('n9998'), (e) => code(e) === 'replay');
    // 600 s after the first ones were seen they expire, and new requests are taken again.
    t = 600_000 + 5_000;
    guard.checkReplay('first');
    guard.rememberNonce('late');
    assert.ok(guard.rememberedNonces < 10_000);
    assert.throws(() => guard.checkReplay('n9998'), (e) => code(e) === 'replay', 'seen at 9.999 s: still inside its window');
  });
});
