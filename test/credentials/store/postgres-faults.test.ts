import assert from 'node:assert/strict';
import { VaultError, type ItemWrite, type StoreChange } from '../../../credentials';
import { PostgresStore } from '../../../credentials/store/postgres-store';
import { sharedSchema, terminateBackends } from '../../helpers/postgres';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { sleep, timed, waitFor } from '../../helpers/wait';
import { vaultRecord } from './contract';

/** store_unavailable with the message a person sees: where, why, what to do; never pg's own text. */
function assertUnavailable(e: unknown, target: string, reason: RegExp): void {
  assert.ok(e instanceof VaultError, `a VaultError, not ${String(e)}`);
  assert.equal(e.code, 'store_unavailable', e.message);
  assert.match(e.message, new RegExp(`^The vault store \\(PostgreSQL at ${target.replace(/\./g, '\\.')}\\) is unavailable: `));
  assert.match(e.message, reason);
  assert.match(e.message, /The runtime reconnects by itself; check that PostgreSQL is running and reachable, then try again\.$/);
  assert.doesNotMatch(e.message, /terminating connection|administrator command|ECONN|SELECT|INSERT/);
}

/** Three secret fields written together, all tagged: a half-applied write would mix tags. */
function taggedWrite(tag: string): ItemWrite {
  const field = (name: string) => ({ wrapped: `w-${tag}-${name}`, nonce: `n-${tag}-${name}`, ct: `c-${tag}-${name}` });
  return { name: tag, type: 'custom', plain: { tag }, secret: { a: field('a'), b: field('b'), c: field('c') } };
}

function assertWhole(item: { name: string; plain: Record<string, string>; secret: Record<string, { ct: string }> }): void {
  const tag = item.name;
  assert.deepEqual(item.plain, { tag });
  assert.deepEqual(Object.keys(item.secret).sort(), ['a', 'b', 'c']);
  for (const [name, field] of Object.entries(item.secret)) assert.equal(field.ct, `c-${tag}-${name}`, `item ${tag} is whole`);
}

describe('postgres store: faults', function () {
  this.timeout(30_000);
  let shared: ReturnType<typeof sharedSchema>;
  beforeEach(() => {
    shared = sharedSchema();
  });
  afterEach(async () => shared.cleanup());

  it('backends killed mid-use: store_unavailable meanwhile, recovery, nothing acknowledged lost, nothing half applied', async () => {
    const a = await shared.open({ reconnectMaxMs: 200 });
    const b = await shared.open({ reconnectMaxMs: 200 });
    await a.createVault(vaultRecord('va'));
    const acked = new Map<string, string>(); // item id -> tag of its last acknowledged write
    const failures: unknown[] = [];
    let stop = false;
    // Four writers: each creates items and rewrites its own item over and over.
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        for (const id of [`new-${w}-${n}`, `own-${w}`]) {
          const tag = `${id}.${n}`;
          try {
            await a.putItem('va', id, taggedWrite(tag));
            acked.set(id, tag);
          } catch (e) {
            failures.push(e);
            if (id.startsWith('own')) acked.delete(id); // its last write's outcome is unknown now
          }
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    let killed = 0;
    for (let k = 0; k < 6; k++) {
      await sleep(60);
      killed += await terminateBackends(shared.schema);
    }
    await sleep(150);
    stop = true;
    await Promise.all(writers);

    assert.ok(killed >= 6, `killed ${killed} backends`);
    assert.ok(failures.length > 0, 'some calls were cut off while their backend died');
    for (const e of failures) assertUnavailable(e, '127.0.0.1:5432/test', /: (the server closed the connection|the connection was lost)\./);
    assert.ok(acked.size > 10, `${acked.size} writes went through`);

    // Recovered: both stores read and write again, and B listens again.
    await a.putItem('va', 'after', taggedWrite('after'));
    await waitFor('B to listen again', () => b.listening, 5_000);
    const items = await b.listItems('va');
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const [id, tag] of acked) {
      assert.ok(byId.has(id), `acknowledged item ${id} is there`);
      if (id.startsWith('new')) assert.equal(byId.get(id)?.name, tag);
    }
    for (const item of items) assertWhole(item);

    const heard: StoreChange[] = [];
    b.onChange((c) => heard.push(c));
    await a.putItem('va', 'after', taggedWrite('after2'));
    await waitFor('B to hear a write after the kills', () => heard.some((c) => c.item === 'after'), 1_000);
  });

  describe('behind a proxy that can take PostgreSQL away', () => {
    let proxy: TcpProxy;
    let direct: PostgresStore;
    let away: PostgresStore;
    let target: string;
    beforeEach(async () => {
      proxy = new TcpProxy();
      await proxy.up();
      target = `127.0.0.1:${proxy.port}/test`;
      direct = await shared.open();
      away = await shared.open({
        connectionString: proxy.url, connectTimeoutMs: 800, statementTimeoutMs: 500, listenerPingMs: 200, reconnectMaxMs: 200,
      });
      let settled = false;
      const off = away.onChange((c) => { settled ||= c.item === 'i1'; });
      await direct.createVault(vaultRecord('va'));
      await direct.putItem('va', 'i1', taggedWrite('first'));
      await waitFor('the proxied store to hear the setup', () => settled, 1_000);
      off();
    });
    afterEach(async () => {
      proxy.thaw();
      await proxy.down();
    });

    it('unreachable: calls fail fast with store_unavailable; afterwards it reads, resyncs and listens again by itself', async () => {
      const heard: StoreChange[] = [];
      away.onChange((c) => heard.push(c));
      await proxy.down();
      const read = await timed(away.getItem('va', 'i1'));
      assert.equal(read.result.status, 'rejected');
      if (read.result.status === 'rejected') assertUnavailable(read.result.reason, target, /: (the connection was refused|the connection was lost|the server closed the connection)\./);
      assert.ok(read.ms < 2_000, `failed after ${Math.round(read.ms)} ms`);
      await assert.rejects(away.putItem('va', 'i1', taggedWrite('lost')), (e: unknown) => {
        assertUnavailable(e, target, /: the connection was refused\./);
        return true;
      });
      await waitFor('the listener to notice', () => !away.listening, 2_000);
      // Changes elsewhere go unheard now: caches above the store must be dropped at once.
      assert.deepEqual([...heard], [{ vault: 'va', remote: true }]);

      // Written elsewhere while this runtime could not hear it.
      await direct.putItem('va', 'i1', taggedWrite('while-away'));
      await proxy.up();
      await waitFor('the listener to be back', () => away.listening, 3_000);
      await waitFor('a resync of every vault', () => heard.length === 2, 1_000);
      assert.deepEqual(heard[1], { vault: 'va', remote: true });
      assert.equal((await away.getItem('va', 'i1'))?.name, 'while-away');

      heard.length = 0;
      await direct.putItem('va', 'i1', taggedWrite('after'));
      await waitFor('a write after the outage to be heard', () => heard.some((c) => c.item === 'i1' && c.remote === true), 1_000);
      const written = await away.putItem('va', 'i1', taggedWrite('from-away'));
      assert.equal(written.version, 4);
    });

    it('a silent network failure: calls give up in bounded time with store_unavailable, then recover', async () => {
      proxy.freeze();
      const read = await timed(away.getItem('va', 'i1'));
      assert.equal(read.result.status, 'rejected');
      if (read.result.status === 'rejected') {
        assertUnavailable(read.result.reason, target, /: (the server did not answer in time|connecting timed out)\./);
      }
      assert.ok(read.ms < 4_000, `gave up after ${Math.round(read.ms)} ms`);
      const written = await timed(away.putItem('va', 'i1', taggedWrite('frozen')));
      assert.equal(written.result.status, 'rejected');
      assert.ok(written.ms < 4_000, `gave up after ${Math.round(written.ms)} ms`);
      await waitFor('the ping to find the listener dead', () => !away.listening, 3_000);
      proxy.thaw();
      await proxy.down(); // cut the connections the freeze left in an unknown state
      await proxy.up();
      await waitFor('the listener to be back', () => away.listening, 3_000);
      const item = await away.getItem('va', 'i1');
      assert.ok(item, 'reads again');
      assertWhole(item);
    });

    it('open() while unreachable fails with store_unavailable and works once it is back', async () => {
      await proxy.down();
      const late = new PostgresStore({ connectionString: proxy.url, schema: shared.schema, connectTimeoutMs: 800 });
      const opened = await timed(late.open());
      assert.equal(opened.result.status, 'rejected');
      if (opened.result.status === 'rejected') assertUnavailable(opened.result.reason, target, /: the connection was refused\./);
      await assert.rejects(late.getItem('va', 'i1'), (e: unknown) => e instanceof VaultError && e.code === 'store_unavailable' && /is not open/.test(e.message));
      await proxy.up();
      await late.open();
      try {
        assert.equal((await late.getItem('va', 'i1'))?.name, 'first');
      } finally {
        await late.close();
      }
    });
  });
});
