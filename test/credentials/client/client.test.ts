import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { webcrypto } from 'node:crypto';
import {
  VaultApi, VaultApiError, fromB64, newId, newRuntimeKeys, newVaultRecord, openField, openSealedBytes, openVaultKeyPair,
  parseUnlockPayload, parseVsk, runtimeFingerprint, sealItemWrite, sealUnlock, sodiumReady, toB64,
  type HttpRequest, type Transport,
} from '../../../credentials';

/** A transport that answers from a script and records what was asked. */
function scripted(answers: Record<string, { status: number; json?: unknown }>): Transport & { asked: HttpRequest[] } {
  const asked: HttpRequest[] = [];
  const t = async (req: HttpRequest) => {
    asked.push(req);
    const a = answers[`${req.method} ${req.path}`];
    if (!a) throw new Error(`unexpected call ${req.method} ${req.path}`);
    return { status: a.status, json: a.json };
  };
  return Object.assign(t, { asked });
}

const isApiError = (code: string, message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof VaultApiError, String(e));
  assert.equal(e.code, code);
  if (message) assert.match(e.message, message);
  return true;
};

describe('credentials/client: the protocol client side', () => {
  before(() => sodiumReady());

  describe('newVaultRecord', () => {
    it('makes a record whose public key is derived from the VSK and share it made, and a VSK in text form', () => {
      const { record, vsk } = newVaultRecord('Prod');
      assert.equal(record.name, 'Prod');
      assert.match(vsk, /^vsk1_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(Object.keys(record).sort(), ['id', 'name', 'publicKey', 'share']);
      const kp = openVaultKeyPair(parseVsk(vsk), record); // throws wrong_secret otherwise
      assert.equal(toB64(kp.publicKey), record.publicKey);
      assert.ok(!JSON.stringify(record).includes(vsk.slice(5)), 'the record never carries the VSK');
    });

    it('takes a given id; two records never share a share or a key', () => {
      const a = newVaultRecord('A', 'vault-a');
      const b = newVaultRecord('A', 'vault-a');
      assert.equal(a.record.id, 'vault-a');
      assert.notEqual(a.record.share, b.record.share);
      assert.notEqual(a.vsk, b.vsk);
    });
  });

  describe('sealUnlock', () => {
    const runtime = () => {
      const keys = newRuntimeKeys();
      return { keys, target: { id: keys.id, publicKey: keys.publicKey } };
    };

    it('seals a fresh payload that only the runtime opens, naming runtime, vault and the key', () => {
      const { record, vsk } = newVaultRecord('V');
      const { keys, target } = runtime();
      const { sealed } = sealUnlock(target, record, vsk);
      const payload = parseUnlockPayload(openSealedBytes(sealed, keys));
      assert.equal(payload.runtime, keys.id);
      assert.equal(payload.vault, record.id);
      assert.equal(payload.secret, vsk);
      assert.ok(Math.abs(payload.iat - Date.now()) < 60_000);
      assert.notEqual(sealUnlock(target, record, parseVsk(vsk)).sealed, sealed, 'a new nonce each time');
    });

    it('refuses a wrong or mistyped key before sealing anything (wrong_secret, invalid_secret_format)', () => {
      const { record } = newVaultRecord('V');
      const other = newVaultRecord('W');
      const { target } = runtime();
      assert.throws(() => sealUnlock(target, record, other.vsk), (e: { code?: string }) => e.code === 'wrong_secret');
      assert.throws(() => sealUnlock(target, record, 'vsk1_not-a-key'), (e: { code?: string; message?: string }) =>
        e.code === 'invalid_secret_format' && !String(e.message).includes('not-a-key'));
    });
  });

  describe('sealItemWrite', () => {
    it('seals every secret value to the vault (bound to vault, item and field); null removes; plain stays as given', () => {
      const { record, vsk } = newVaultRecord('V');
      const itemId = newId();
      const body = sealItemWrite(record, itemId, {
        name: 'Router', type: 'login', plain: { username: 'admin' }, secret: { password: 'canary-pw-7781', old: null }, ifVersion: 3,
      });
      assert.deepEqual({ ...body, secret: undefined }, { name: 'Router', type: 'login', plain: { username: 'admin' }, secret: undefined, ifVersion: 3 });
      assert.equal(body.secret.old, null);
      assert.ok(!JSON.stringify(body).includes('canary-pw-7781'));
      const kp = openVaultKeyPair(parseVsk(vsk), record);
      const sealed = body.secret.password!;
      const place = { vault: record.id, item: itemId, field: 'password', type: 'login', plain: { username: 'admin' } };
      assert.equal(sealed.v, 2);
      assert.equal(openField(kp, place, sealed), 'canary-pw-7781');
      assert.throws(() => openField(kp, { ...place, item: newId() }, sealed), (e: { code?: string }) => e.code === 'tampered');
      assert.throws(() => openField(kp, { ...place, plain: { url: 'https://evil.example', username: 'admin' } }, sealed), (e: { code?: string }) => e.code === 'tampered');
    });

    it('refuses a vault whose public key is malformed (store_corrupt), sealing nothing', () => {
      assert.throws(() => sealItemWrite({ id: 'v', publicKey: 'short' }, 'i', { name: 'n', type: 'custom', secret: { k: 'x' } }),
        (e: { code?: string }) => e.code === 'store_corrupt');
    });
  });

  describe('VaultApi over a transport', () => {
    const keys = () => newRuntimeKeys();

    it('checks the runtime identity: protocol 1, a fingerprint that is its key\'s', async () => {
      const k = keys();
      const good = { id: k.id, name: 'rt\u0007one', publicKey: toB64(k.publicKey), fingerprint: runtimeFingerprint(k.publicKey), protocol: 1 };
      const rt = await new VaultApi(scripted({ 'GET vault/runtime': { status: 200, json: good } })).runtime();
      assert.deepEqual(rt.publicKey, k.publicKey);
      assert.equal(rt.name, 'rt one', 'control characters from the runtime are cleaned');
      const other = keys();
      await assert.rejects(new VaultApi(scripted({ 'GET vault/runtime': { status: 200, json: { ...good, fingerprint: runtimeFingerprint(other.publicKey) } } })).runtime(),
        isApiError('fingerprint_mismatch'));
      await assert.rejects(new VaultApi(scripted({ 'GET vault/runtime': { status: 200, json: { ...good, protocol: 2 } } })).runtime(),
        isApiError('protocol_mismatch', /protocol 2/));
      await assert.rejects(new VaultApi(scripted({ 'GET vault/runtime': { status: 200, json: { ...good, publicKey: 'x' } } })).runtime(),
        isApiError('unexpected_answer'));
    });

    it('maps answers to errors: the runtime\'s code and message (cleaned), else by status', async () => {
      const api = new VaultApi(scripted({
        'POST vault/vaults/v/unlock': { status: 422, json: { error: { code: 'wrong_secret', message: 'No.\u001b[31m' } } },
        'POST vault/vaults/v/lock': { status: 401 },
        'GET vault/vaults': { status: 403 },
        'DELETE vault/vaults/v/items/i': { status: 500, json: { error: { code: 'Not A Code!', message: 'odd' } } },
        'GET vault/vaults/v/items': { status: 200, json: { not: 'a list' } },
      }));
      await assert.rejects(api.unlock('v', 'sealed'), (e: unknown) => {
        assert.ok(e instanceof VaultApiError);
        assert.deepEqual([e.code, e.message, e.status, e.fromRuntime], ['wrong_secret', 'No. [31m', 422, true]);
        return true;
      });
      await assert.rejects(api.lock('v'), isApiError('unauthorized'));
      await assert.rejects(api.vaults(), isApiError('forbidden'));
      await assert.rejects(api.deleteItem('v', 'i'), isApiError('unexpected_answer', /odd \(code "Not A Code!", HTTP 500\)/));
      await assert.rejects(api.items('v'), isApiError('unexpected_answer'));
    });

    it('sends the protocol\'s paths and bodies, ids escaped', async () => {
      const { record } = newVaultRecord('V');
      const t = scripted({
        'POST vault/vaults': { status: 201, json: { ...record, createdAt: '2026-01-01T00:00:00.000Z' } },
        'PUT vault/vaults/a%2Fb/items/c%3Fd': { status: 200, json: { id: 'c?d' } },
        'GET vault/vaults': { status: 200, json: [{ ...record, unlocked: true }, { id: 'bad id!', name: 'x', share: '', publicKey: '', unlocked: false }] },
      });
      const api = new VaultApi(t);
      assert.deepEqual(await api.createVault(record), { ...record, createdAt: '2026-01-01T00:00:00.000Z', unlocked: false });
      assert.deepEqual(t.asked[0], { method: 'POST', path: 'vault/vaults', body: record });
      await api.putItem('a/b', 'c?d', { name: 'n', type: 'custom', plain: {}, secret: {} });
      await assert.rejects(api.vaults(), isApiError('unexpected_answer'), 'a listing with a malformed id is refused');
    });
  });

  describe('the browser bundle (resources/vault-crypto.js)', () => {
    it('exports the client: a vault made and an item sealed in a browser-like context open in Node', async () => {
      const code = readFileSync(join(__dirname, '..', '..', '..', '..', 'resources', 'vault-crypto.js'), 'utf8');
      // A context of its own (its own Uint8Array, as in a page), with the few web APIs the bundle uses.
      const sandbox = createContext({ crypto: webcrypto, console, setTimeout, URL });
      const PageBytes = runInContext('Uint8Array', sandbox) as Uint8ArrayConstructor;
      const encoder = new TextEncoder();
      const decoder = new TextDecoder();
      sandbox.TextEncoder = class { encode(text: string) { return new PageBytes(encoder.encode(text)); } };
      sandbox.TextDecoder = class { decode(bytes: Uint8Array) { return decoder.decode(bytes); } };
      sandbox.self = sandbox;
      sandbox.window = sandbox;
      runInContext(`${code}\n;globalThis.NrVaultCrypto = NrVaultCrypto;`, sandbox);
      const c = sandbox.NrVaultCrypto as typeof import('../../../credentials');
      await c.sodiumReady();
      for (const name of ['VaultApi', 'VaultApiError', 'fetchTransport', 'newVaultRecord', 'sealUnlock', 'sealItemWrite'] as const) {
        assert.equal(typeof c[name], 'function', name);
      }
      const { record, vsk } = c.newVaultRecord('From the browser');
      const itemId = c.newId();
      const body = c.sealItemWrite(record, itemId, { name: 'k', type: 'api-key', secret: { key: 'canary-key-5521' } });
      // Plain JSON out of the page, opened by this process's own crypto.
      const sent = JSON.parse(JSON.stringify({ record, body })) as { record: typeof record; body: typeof body };
      const kp = openVaultKeyPair(parseVsk(vsk), sent.record);
      assert.equal(openField(kp, { vault: record.id, item: itemId, field: 'key', type: 'api-key', plain: {} }, sent.body.secret.key!), 'canary-key-5521');
      assert.ok(fromB64(sent.record.share, 32));
    });
  });
});
