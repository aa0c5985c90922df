import assert from 'node:assert/strict';
import { VaultError, type ItemWrite, type StoreChange, type VaultStore } from '../../../credentials';

/** A second store on the same data, for shared stores (postgres); absent for single-process stores. */
export interface ContractFixture {
  store: VaultStore;
  cleanup(): Promise<void>;
}

const isCode = (code: string) => (e: unknown): boolean => e instanceof VaultError && e.code === code;

export function vaultRecord(id: string) {
  return { id, name: `Vault ${id}`, share: 'c2hhcmU', publicKey: 'cHVibGlj', createdAt: '2026-11-22T10:00:00.000Z' };
}

const sealed = (tag: string) => ({ wrapped: `w-${tag}`, nonce: `n-${tag}`, ct: `c-${tag}` });

function write(extra: Partial<ItemWrite> = {}): ItemWrite {
  return { name: 'Mail', type: 'smtp', plain: { host: 'mail.example', from: 'a@example' }, secret: { password: sealed('1') }, ...extra };
}

/** The behaviour every VaultStore must have. Each later store runs this same suite. */
export function storeContract(title: string, make: () => Promise<ContractFixture>): void {
  describe(`VaultStore contract: ${title}`, () => {
    let fx: ContractFixture;
    let store: VaultStore;
    beforeEach(async () => {
      fx = await make();
      store = fx.store;
      await store.open();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('creates and lists vaults; a taken id is `exists`', async () => {
      await store.createVault(vaultRecord('va'));
      assert.deepEqual(await store.getVault('va'), vaultRecord('va'));
      assert.deepEqual((await store.listVaults()).map((v) => v.id), ['va']);
      await assert.rejects(store.createVault(vaultRecord('va')), isCode('exists'));
      assert.equal(await store.getVault('nope'), undefined);
    });

    it('creates an item on its first write at version 1 and counts versions up', async () => {
      await store.createVault(vaultRecord('va'));
      const first = await store.putItem('va', 'i1', write());
      assert.equal(first.version, 1);
      assert.equal(first.vault, 'va');
      assert.equal(first.id, 'i1');
      assert.ok(!Number.isNaN(Date.parse(first.updatedAt)));
      const second = await store.putItem('va', 'i1', write({ name: 'Mail 2' }));
      assert.equal(second.version, 2);
      assert.equal((await store.getItem('va', 'i1'))?.name, 'Mail 2');
    });

    it('replaces plain fields as a whole, keeps omitted secrets and removes null ones', async () => {
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'i1', write({ secret: { password: sealed('1'), other: sealed('o') } }));
      await store.putItem('va', 'i1', write({ plain: { host: 'h2' }, secret: { other: null } }));
      const item = await store.getItem('va', 'i1');
      assert.deepEqual(item?.plain, { host: 'h2' });
      assert.deepEqual(item?.secret, { password: sealed('1') });
    });

    it('checks ifVersion: a mismatch is `conflict` and changes nothing', async () => {
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'i1', write());
      await assert.rejects(store.putItem('va', 'i1', write({ name: 'late', ifVersion: 5 })), isCode('conflict'));
      assert.equal((await store.getItem('va', 'i1'))?.name, 'Mail');
      const ok = await store.putItem('va', 'i1', write({ name: 'right', ifVersion: 1 }));
      assert.equal(ok.version, 2);
      await assert.rejects(store.putItem('va', 'new', write({ ifVersion: 1 })), isCode('conflict'));
      const created = await store.putItem('va', 'new2', write({ ifVersion: 0 }));
      assert.equal(created.version, 1);
    });

    it('of two writes naming the same version, exactly one wins', async () => {
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'i1', write());
      const results = await Promise.allSettled([
        store.putItem('va', 'i1', write({ name: 'A', ifVersion: 1 })),
        store.putItem('va', 'i1', write({ name: 'B', ifVersion: 1 })),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.ok(isCode('conflict')(rejected.reason));
      assert.equal((await store.getItem('va', 'i1'))?.version, 2);
    });

    it('writing an item of an unknown vault is `unknown_vault`', async () => {
      await assert.rejects(store.putItem('nope', 'i1', write()), isCode('unknown_vault'));
    });

    it('deletes items; a missing one is `not_found`; ifVersion is checked', async () => {
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'i1', write());
      await assert.rejects(store.deleteItem('va', 'i1', 7), isCode('conflict'));
      await store.deleteItem('va', 'i1');
      assert.equal(await store.getItem('va', 'i1'), undefined);
      await assert.rejects(store.deleteItem('va', 'i1'), isCode('not_found'));
      assert.deepEqual(await store.listItems('va'), []);
    });

    it('lists the items of one vault only', async () => {
      await store.createVault(vaultRecord('va'));
      await store.createVault(vaultRecord('vb'));
      await store.putItem('va', 'i1', write());
      await store.putItem('vb', 'i2', write());
      assert.deepEqual((await store.listItems('va')).map((i) => i.id), ['i1']);
      await assert.rejects(store.listItems('nope'), isCode('unknown_vault'));
    });

    it('returns copies: changing a returned record changes nothing stored', async () => {
      await store.createVault(vaultRecord('va'));
      const item = await store.putItem('va', 'i1', write());
      item.plain.host = 'evil';
      item.secret.password.ct = 'evil';
      const again = await store.getItem('va', 'i1');
      assert.equal(again?.plain.host, 'mail.example');
      assert.equal(again?.secret.password.ct, 'c-1');
    });

    it('keeps and clears a runtime state', async () => {
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'i1', write({ state: 'needs_reauth' }));
      assert.equal((await store.getItem('va', 'i1'))?.state, 'needs_reauth');
      await store.putItem('va', 'i1', write());
      assert.equal((await store.getItem('va', 'i1'))?.state, 'needs_reauth');
      await store.putItem('va', 'i1', write({ state: null }));
      assert.equal((await store.getItem('va', 'i1'))?.state, undefined);
    });

    it('emits a change after each committed write, and none for a refused one', async () => {
      const seen: StoreChange[] = [];
      const off = store.onChange((c) => seen.push({ vault: c.vault, item: c.item }));
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'i1', write());
      await store.putItem('va', 'i1', write({ ifVersion: 9 })).catch(() => undefined);
      await store.deleteItem('va', 'i1');
      off();
      await store.putItem('va', 'i2', write());
      assert.deepEqual(seen, [{ vault: 'va', item: undefined }, { vault: 'va', item: 'i1' }, { vault: 'va', item: 'i1' }]);
    });

    it('withLock runs holders of one name one at a time', async () => {
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 5 }, () =>
          store.withLock('refresh:x', async () => {
            inside++;
            most = Math.max(most, inside);
            await new Promise((r) => setTimeout(r, 10));
            inside--;
          }),
        ),
      );
      assert.equal(most, 1);
    });

    it('records runtimes; registering an id again replaces its entry', async function () {
      if (!store.registerRuntime || !store.listRuntimes) this.skip();
      const runtime = { id: 'rt1', name: 'edge-1', publicKey: 'cGs', fingerprint: 'ZnA', adminUrl: 'http://edge-1:1880/', lastSeen: new Date().toISOString() };
      await store.registerRuntime!(runtime);
      await store.registerRuntime!({ ...runtime, name: 'edge-1b', adminUrl: undefined });
      await store.registerRuntime!({ ...runtime, id: 'rt2', name: 'edge-2' });
      const listed = await store.listRuntimes!();
      assert.deepEqual(listed.map((r) => [r.id, r.name, r.adminUrl]).sort(), [['rt1', 'edge-1b', undefined], ['rt2', 'edge-2', 'http://edge-1:1880/']]);
      const one = listed.find((r) => r.id === 'rt1');
      assert.equal(one?.publicKey, 'cGs');
      assert.equal(one?.fingerprint, 'ZnA');
      assert.ok(Math.abs(Date.parse(one?.lastSeen ?? '') - Date.now()) < 60_000, `lastSeen ${one?.lastSeen} is now`);
    });

    it('keeps everything across close and open', async () => {
      await store.createVault(vaultRecord('va'));
      await store.putItem('va', 'i1', write());
      await store.close();
      await store.open();
      assert.equal((await store.getItem('va', 'i1'))?.version, 1);
    });
  });
}
