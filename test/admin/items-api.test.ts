import assert from 'node:assert/strict';
import { newId, sealField, toB64 } from '../../credentials';
import { getItemNode, helper, useNodeRed, vaultNode } from '../helpers/node-red/test-helper';
import type { TestVault } from '../helpers/vault-client';

const METADATA_KEYS = ['id', 'name', 'type', 'plain', 'secretFields', 'status', 'version', 'updatedAt'];

describe('admin API: items', () => {
  const ctx = useNodeRed();
  let vault: TestVault;
  /** Every ciphertext, wrapped key and nonce this test sent: none may come back in a read answer. */
  let sent: string[];

  beforeEach(async () => {
    await helper.load([vaultNode, getItemNode], []);
    vault = await ctx.client.createVault('Items');
    sent = [];
  });

  const call = (method: string, path: string, body?: unknown) => ctx.client.call(method, path, body);
  const itemPath = (id: string, v = vault.id) => `vault/vaults/${v}/items/${id}`;
  /** Sealed in field format 2 for `type` and `plain` (the item's destination). */
  const sealed = (item: string, field: string, value: string, type = 'custom', plain: Record<string, string> = {}, v = vault) => {
    const s = sealField(v.publicKey, { vault: v.id, item, field, type, plain }, value);
    sent.push(s.ct, s.wrapped, s.nonce);
    return s;
  };
  const put = (item: string, body: Record<string, unknown>) => call('PUT', itemPath(item), body);
  const expectError = (res: { status: number; body: any; text: string }, status: number, code: string, mentions?: RegExp) => {
    assert.equal(res.status, status, res.text);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.equal(res.body.error.code, code);
    assert.equal(typeof res.body.error.message, 'string');
    if (mentions) assert.match(res.body.error.message, mentions);
  };
  /** Reads every read route and checks no answer carries a ciphertext; returns the item list. */
  const readAll = async () => {
    const answers = [
      await call('GET', 'vault/runtime'), await call('GET', 'vault/types'), await call('GET', 'vault/vaults'), await call('GET', `vault/vaults/${vault.id}/items`),
    ];
    for (const a of answers) {
      assert.equal(a.status, 200, a.text);
      for (const s of sent) assert.ok(!a.text.includes(s), `a read answer carries a sealed value: ${a.text}`);
      assert.doesNotMatch(a.text, /"(ct|wrapped|nonce)"/);
    }
    return answers[3].body as any[];
  };

  it('PUT creates an item at version 1 and answers exactly the metadata of PROTOCOL.md', async () => {
    const id = newId();
    const res = await put(id, { name: 'Router', type: 'login', plain: { username: 'admin' }, secret: { password: sealed(id, 'password', 'pw-1', 'login', { username: 'admin' }) } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), [...METADATA_KEYS].sort());
    const { updatedAt, ...rest } = res.body;
    assert.deepEqual(rest, { id, name: 'Router', type: 'login', plain: { username: 'admin' }, secretFields: ['password'], status: 'ready', version: 1 });
    assert.ok(!Number.isNaN(Date.parse(updatedAt)), updatedAt);
    for (const s of sent) assert.ok(!res.text.includes(s));
    const list = await readAll();
    assert.deepEqual(list, [res.body]);
  });

  it('an item with only a name and a type is empty; with some required fields missing, incomplete', async () => {
    const a = newId();
    assert.equal((await put(a, { name: 'Empty', type: 'login', plain: {}, secret: {} })).body.status, 'empty');
    const b = newId();
    assert.equal((await put(b, { name: 'Half', type: 'login', plain: { username: 'u' } })).body.status, 'incomplete');
  });

  it('plain is replaced as a whole; a secret left out is kept, null removes it; the version counts up', async () => {
    const id = newId();
    const dest = { host: 'db1', port: '5432' };
    await put(id, { name: 'Db', type: 'database', plain: { ...dest, database: 'one', username: 'app' }, secret: { password: sealed(id, 'password', 'one', 'database', dest) } });
    let res = await put(id, { name: 'Db', type: 'database', plain: { ...dest, username: 'app' }, secret: {} });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.plain, { ...dest, username: 'app' });
    assert.deepEqual(res.body.secretFields, ['password']);
    assert.equal(res.body.version, 2);
    res = await put(id, { name: 'Db renamed', type: 'database', plain: { ...dest, username: 'app' }, secret: { password: null } });
    assert.deepEqual(res.body.secretFields, []);
    assert.equal(res.body.status, 'incomplete');
    assert.equal(res.body.name, 'Db renamed');
    assert.equal(res.body.version, 3);
    assert.deepEqual((await readAll()).map((i) => i.version), [3]);
  });

  it('ifVersion: the stored version succeeds, another one is 409 conflict and changes nothing', async () => {
    const id = newId();
    await put(id, { name: 'One', type: 'custom', plain: { a: '1' } });
    assert.equal((await put(id, { name: 'Two', type: 'custom', plain: { a: '2' }, ifVersion: 1 })).body.version, 2);
    expectError(await put(id, { name: 'Three', type: 'custom', plain: { a: '3' }, ifVersion: 1 }), 409, 'conflict');
    const [item] = await readAll();
    assert.equal(item.name, 'Two');
    assert.equal(item.version, 2);
  });

  it('ifVersion 0 creates only when the item does not exist yet', async () => {
    const id = newId();
    assert.equal((await put(id, { name: 'New', type: 'custom', ifVersion: 0 })).status, 200);
    expectError(await put(id, { name: 'Again', type: 'custom', ifVersion: 0 }), 409, 'conflict');
  });

  it('DELETE answers 204 with no body; the item is gone, and deleting it again is 404 not_found', async () => {
    const id = newId();
    await put(id, { name: 'Gone', type: 'custom' });
    const res = await call('DELETE', itemPath(id));
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.deepEqual(await readAll(), []);
    expectError(await call('DELETE', itemPath(id)), 404, 'not_found');
  });

  it('items of an unknown vault are 404 unknown_vault', async () => {
    expectError(await call('PUT', itemPath(newId(), 'no-such-vault'), { name: 'x', type: 'custom' }), 404, 'unknown_vault');
    expectError(await call('DELETE', itemPath(newId(), 'no-such-vault')), 404, 'unknown_vault');
  });

  describe('bad shapes are 400 bad_request naming the field', () => {
    const id = 'item-1';
    const good = () => ({ name: 'Mail', type: 'smtp', plain: { host: 'smtp.example.com', from: 'a@example.com' }, secret: { password: sealed(id, 'password', 'p') } });

    it('a field the type does not have (plain or secret)', async () => {
      expectError(await put(id, { ...good(), plain: { host: 'h', from: 'f', colour: 'red' } }), 400, 'bad_request', /plain\.colour/);
      expectError(await put(id, { ...good(), secret: { token: sealed(id, 'token', 'x') } }), 400, 'bad_request', /secret\.token/);
      expectError(await put(id, { ...good(), secret: { host: sealed(id, 'host', 'x') } }), 400, 'bad_request', /secret\.host/);
    });

    it('a plain value that is not a string', async () => {
      for (const v of [5432, true, null, { a: 1 }, ['x']]) {
        expectError(await put(id, { ...good(), plain: { host: 'h', from: 'f', port: v } }), 400, 'bad_request', /plain\.port/);
      }
    });

    it('a ct over 64 KiB (the limit itself passes)', async () => {
      const big = (n: number) => ({ ...good().secret.password, ct: toB64(new Uint8Array(n)) });
      expectError(await put(id, { ...good(), secret: { password: big(64 * 1024 + 17) } }), 400, 'bad_request', /secret\.password\.ct/);
      assert.equal((await put(id, { ...good(), secret: { password: big(64 * 1024 + 16) } })).status, 200);
    });

    it('more than 64 fields (64 pass)', async () => {
      const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 'v']));
      expectError(await put(id, { name: 'Many', type: 'custom', plain: fields(65) }), 400, 'bad_request', /64 fields/);
      expectError(await put(id, { name: 'Many', type: 'custom', plain: fields(40), secret: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`s${i}`, null])) }), 400, 'bad_request', /64 fields/);
      assert.equal((await put(id, { name: 'Many', type: 'custom', plain: fields(64) })).status, 200);
    });

    it('a ct, wrapped or nonce that is not base64url (padding, +, /, wrong length)', async () => {
      const s = good().secret.password;
      for (const [field, value] of [['ct', `${s.ct}=`], ['ct', s.ct.replace(/.$/, '+')], ['ct', 42], ['wrapped', s.wrapped.replace(/.$/, '/')], ['wrapped', s.wrapped.slice(4)], ['nonce', `${s.nonce}AAAA`], ['nonce', undefined]] as const) {
        expectError(await put(id, { ...good(), secret: { password: { ...s, [field]: value } } }), 400, 'bad_request', new RegExp(`secret\\.password\\.${field}`));
      }
      expectError(await put(id, { ...good(), secret: { password: 'a string' } }), 400, 'bad_request', /secret\.password/);
    });

    it('an unknown type, a missing name, a bad ifVersion, a body that is not an object', async () => {
      expectError(await put(id, { ...good(), type: 'ftp' }), 400, 'bad_request', /type "ftp"/);
      expectError(await put(id, { ...good(), type: undefined }), 400, 'bad_request', /type/);
      expectError(await put(id, { ...good(), name: '' }), 400, 'bad_request', /name/);
      expectError(await put(id, { ...good(), ifVersion: 'one' }), 400, 'bad_request', /ifVersion/);
      expectError(await put(id, { ...good(), ifVersion: -1 }), 400, 'bad_request', /ifVersion/);
      expectError(await call('PUT', itemPath(id), [1, 2]), 400, 'bad_request');
      expectError(await call('PUT', itemPath(id), '{"name":'), 400, 'bad_request');
    });

    it('nothing was stored by any refused write', async () => {
      await put(id, { ...good(), type: 'ftp' });
      assert.deepEqual(await readAll(), []);
    });
  });

  it('invalid ids in the path or the body are 400 invalid_id', async () => {
    const bad = ['a.b', 'x'.repeat(65), 'sp%20ace', '%C3%A9t%C3%A9'];
    for (const b of bad) {
      expectError(await call('PUT', itemPath(b), { name: 'x', type: 'custom' }), 400, 'invalid_id');
      expectError(await call('DELETE', itemPath(b)), 400, 'invalid_id');
      expectError(await call('PUT', itemPath('ok', b), { name: 'x', type: 'custom' }), 400, 'invalid_id');
      expectError(await call('GET', `vault/vaults/${b}/items`), 400, 'invalid_id');
      expectError(await call('POST', `vault/vaults/${b}/lock`, {}), 400, 'invalid_id');
    }
    expectError(await call('POST', 'vault/vaults', { id: 'no/slash', name: 'x', share: toB64(new Uint8Array(32)), publicKey: toB64(new Uint8Array(32)) }), 400, 'invalid_id');
  });
});
