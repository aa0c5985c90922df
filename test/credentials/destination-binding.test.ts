import assert from 'node:assert/strict';
import { deriveVaultKeyPair, fromB64, openField, parseVsk, sealFieldFormat1, VaultError, VaultRuntime } from '../../credentials';
import { createVault, nodeRead, putItem, useRuntimes } from '../helpers/oauth-fixture';
import { RotatingTokenServer } from '../helpers/rotating-token-server';
import type { TestVault } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

const isCode = (code: string) => (e: unknown): boolean => e instanceof VaultError && e.code === code;

/**
 * The attack of issue 11 (High 3): someone who may write items (vault.write, no VSK) or who can
 * write the store points a connection's destination at their own server and keeps the stored
 * secret, so that the runtime sends it there. With destination binding (field format 2) the API
 * refuses such a write (`secrets_required`) and a store edit makes the secret `tampered`.
 */
describe('destination binding: a secret never follows its connection to another server', function () {
  this.timeout(20_000);
  const runtimes = useRuntimes();
  let legit: RotatingTokenServer;
  let attacker: RotatingTokenServer;
  let rt: VaultRuntime;
  let vault: TestVault;
  let warnings: string[];

  beforeEach(async () => {
    legit = await RotatingTokenServer.start();
    // The attacker's endpoint records every request it gets (and would accept the legit secret).
    attacker = await RotatingTokenServer.start(legit.clientId, legit.clientSecret);
    warnings = [];
    rt = await VaultRuntime.start(runtimes.newUserDir(), { oauth: { retryDelaysMs: [], backoffMs: 10 } }, { warn: (m) => warnings.push(m) });
    vault = await createVault(rt);
    await rt.keyring.unlock(vault.id, vault.vsk);
  });
  afterEach(async () => {
    await rt.close();
    await runtimes.cleanup();
    await legit.stop();
    await attacker.stop();
  });

  const sentToAttacker = (): string[] => attacker.calls.map((c) => JSON.stringify(c.params));
  const assertNothingSent = (): void => {
    assert.equal(attacker.tokenRequests(), 0, `the attacker's server got: ${sentToAttacker().join('\n')}`);
  };

  for (const type of ['oauth2-client', 'oauth2-refresh'] as const) {
    const item = (): { type: string; plain: Record<string, string>; secret: Record<string, string> } => ({
      type, plain: { tokenUrl: legit.url, clientId: legit.clientId },
      secret: type === 'oauth2-client' ? { clientSecret: legit.clientSecret } : { clientSecret: legit.clientSecret, refreshToken: legit.issueRefreshToken() },
    });

    it(`${type}: a write that changes only tokenUrl, with secret {}, is 400 secrets_required and nothing is sent`, async () => {
      const id = await putItem(rt, vault, { name: 'API', ...item() });
      await nodeRead(rt, vault, id);
      const before = legit.tokenRequests();
      await assert.rejects(
        rt.writeItem(vault.id, id, { name: 'API', type, plain: { tokenUrl: attacker.url, clientId: legit.clientId }, secret: {} }),
        (e: unknown) => isCode('secrets_required')(e) && /needs clientSecret/.test((e as Error).message)
          && JSON.stringify((e as VaultError).detail?.fields) === JSON.stringify(type === 'oauth2-client' ? ['clientSecret'] : ['clientSecret', 'refreshToken']),
      );
      assert.equal((await rt.store.getItem(vault.id, id))?.plain.tokenUrl, legit.url, 'nothing was written');
      await nodeRead(rt, vault, id);
      assertNothingSent();
      assert.ok(legit.tokenRequests() >= before);
    });

    it(`${type}: a store writer who changes only tokenUrl gets the secret tampered, and nothing is sent`, async () => {
      const id = await putItem(rt, vault, { name: 'API', ...item() });
      const stored = (await rt.store.getItem(vault.id, id))!;
      // What an attacker with the store's connection string does: plain changed, ciphertexts kept.
      await rt.store.putItem(vault.id, id, { name: stored.name, type, plain: { ...stored.plain, tokenUrl: attacker.url }, secret: {} });
      await assert.rejects(nodeRead(rt, vault, id), isCode('tampered'));
      assertNothingSent();
    });
  }

  it('oauth2-client: a write that changes tokenUrl and carries the client secret anew is taken (and drops the old token)', async () => {
    const id = await putItem(rt, vault, { name: 'API', type: 'oauth2-client', plain: { tokenUrl: legit.url, clientId: legit.clientId }, secret: { clientSecret: legit.clientSecret } });
    await nodeRead(rt, vault, id);
    await putItem(rt, vault, { id, name: 'API', type: 'oauth2-client', plain: { tokenUrl: attacker.url, clientId: legit.clientId }, secret: { clientSecret: legit.clientSecret } });
    const stored = (await rt.store.getItem(vault.id, id))!;
    assert.equal(stored.secret.accessToken, undefined, 'the token of the old server was dropped');
    await nodeRead(rt, vault, id);
    assert.equal(attacker.tokenRequests(), 1, 'the person chose the new server and typed the secret again');
  });

  for (const [type, plain, secret, moved] of [
    ['smtp', { host: 'smtp.example.com', port: '587', from: 'a@example.com' }, { password: 'smtp-canary' }, { host: 'evil.example' }],
    ['smtp', { host: 'smtp.example.com', port: '587', secure: 'false', from: 'a@example.com' }, { password: 'smtp-canary' }, { secure: 'true', port: '25' }],
    ['database', { host: 'db.example.com', port: '5432', username: 'app' }, { password: 'db-canary' }, { host: 'evil.example' }],
    ['login', { url: 'https://router.example', username: 'admin' }, { password: 'login-canary' }, { url: 'https://evil.example' }],
  ] as const) {
    const changed = Object.keys(moved).join(', ');
    it(`${type}: changing ${changed} without the password is secrets_required; a store edit of it makes the password tampered`, async () => {
      const id = await putItem(rt, vault, { name: 'Conn', type, plain: { ...plain }, secret: { ...secret } });
      assert.equal((await rt.keyring.getItem(vault.id, id)).fields.password, secret.password);
      await assert.rejects(
        rt.writeItem(vault.id, id, { name: 'Conn', type, plain: { ...plain, ...moved }, secret: {} }),
        (e: unknown) => isCode('secrets_required')(e) && /needs password/.test((e as Error).message),
      );
      // A plain change elsewhere (a user name) needs no secret.
      await rt.writeItem(vault.id, id, { name: 'Conn 2', type, plain: { ...plain, username: 'other' }, secret: {} });
      assert.equal((await rt.keyring.getItem(vault.id, id)).fields.password, secret.password);
      const stored = (await rt.store.getItem(vault.id, id))!;
      await rt.store.putItem(vault.id, id, { name: stored.name, type, plain: { ...stored.plain, ...moved }, secret: {} });
      await assert.rejects(rt.keyring.getItem(vault.id, id), (e: unknown) => isCode('tampered')(e) && !(e as Error).message.includes(secret.password));
    });
  }

  it('a type change without the secrets is secrets_required too (the type is part of the binding)', async () => {
    const id = await putItem(rt, vault, { name: 'Conn', type: 'login', plain: { url: 'https://a.example', username: 'u' }, secret: { password: 'p' } });
    await assert.rejects(rt.writeItem(vault.id, id, { name: 'Conn', type: 'custom', plain: { url: 'https://evil.example' }, secret: {} }), isCode('secrets_required'));
  });

  it('format-1 fields: read, rewritten once as format 2 on unlock (and logged), then bound like any other', async () => {
    vault = await createVault(rt, 'Vault from 0.1.0'); // never unlocked by this version yet
    const plain = { tokenUrl: legit.url, clientId: legit.clientId };
    const secret = { clientSecret: sealFieldFormat1(vault.publicKey, vault.id, 'old1', 'clientSecret', legit.clientSecret) };
    await rt.store.putItem(vault.id, 'old1', { name: 'Old', type: 'oauth2-client', plain, secret });
    await rt.keyring.unlock(vault.id, vault.vsk);
    await waitFor('the migration', async () => (await rt.store.getItem(vault.id, 'old1'))?.secret.clientSecret.v === 2, 5_000);
    await waitFor('the log line', () => warnings.some((w) => /rewrote 1 secret field\(s\) of 1 connection\(s\) in vault .* in format 2/.test(w)), 2_000);
    const stored = (await rt.store.getItem(vault.id, 'old1'))!;
    assert.equal(stored.version, 2);
    const keys = deriveVaultKeyPair(parseVsk(vault.vsk), fromB64((await rt.store.getVault(vault.id))!.share, 32)!, vault.id);
    assert.equal(openField(keys, { vault: vault.id, item: 'old1', field: 'clientSecret', type: 'oauth2-client', plain }, stored.secret.clientSecret), legit.clientSecret);
    // Unlocking again finds nothing left to rewrite.
    warnings.length = 0;
    rt.keyring.lock(vault.id);
    await rt.keyring.unlock(vault.id, vault.vsk);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!warnings.some((w) => /rewrote/.test(w)), warnings.join('\n'));
    // And now a moved token URL does not open it.
    await rt.store.putItem(vault.id, 'old1', { name: 'Old', type: 'oauth2-client', plain: { ...plain, tokenUrl: attacker.url }, secret: {} });
    await assert.rejects(nodeRead(rt, vault, 'old1'), isCode('tampered'));
    // Nor does the old format-1 ciphertext put back by a store writer who kept a copy (format 1
    // binds no destination): once the vault is in format 2, format 1 is refused.
    await rt.store.putItem(vault.id, 'old1', { name: 'Old', type: 'oauth2-client', plain: { ...plain, tokenUrl: attacker.url }, secret });
    await assert.rejects(nodeRead(rt, vault, 'old1'), (e: unknown) => isCode('tampered')(e) && /field format 1/.test((e as Error).message));
    assertNothingSent();
    // Also after a restart: the runtime remembers (in its user directory, not the store) that the
    // vault is in format 2, so it neither opens nor rewrites the old ciphertext to the new server.
    const userDir = rt.userDir;
    await rt.close();
    rt = await VaultRuntime.start(userDir, { oauth: { retryDelaysMs: [], backoffMs: 10 } }, { warn: (m) => warnings.push(m) });
    warnings.length = 0;
    await rt.keyring.unlock(vault.id, vault.vsk);
    await assert.rejects(nodeRead(rt, vault, 'old1'), (e: unknown) => isCode('tampered')(e) && /field format 1/.test((e as Error).message));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await rt.store.getItem(vault.id, 'old1'))?.secret.clientSecret.v, undefined, 'not rewritten to the new server');
    assert.ok(!warnings.some((w) => /rewrote/.test(w)), warnings.join('\n'));
    assertNothingSent();
  });

  it('a format-1 item whose destination an API write changes without secrets is secrets_required as well', async () => {
    const plain = { tokenUrl: legit.url, clientId: legit.clientId };
    rt.keyring.lock(vault.id); // locked: no migration runs
    await rt.store.putItem(vault.id, 'old2', {
      name: 'Old', type: 'oauth2-client', plain, secret: { clientSecret: sealFieldFormat1(vault.publicKey, vault.id, 'old2', 'clientSecret', 'cs') },
    });
    await assert.rejects(rt.writeItem(vault.id, 'old2', { name: 'Old', type: 'oauth2-client', plain: { ...plain, tokenUrl: attacker.url }, secret: {} }), isCode('secrets_required'));
  });
});
