import assert from 'node:assert/strict';
import { sodiumReady } from '../../credentials';
import { ADMIN, startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import { fetchCall, VaultTestClient } from '../helpers/vault-client';
import { waitFor } from '../helpers/wait';

const VAULT_ID = 'consolevault';
const ITEM_ID = 'consoleitem';
const PASSWORD_CANARY = 'canary-password-6c1f';

/** inject → Get Item (waits for an unlock) → debug to the console, showing only the user name. */
const FLOWS = [
  { id: 'tab1', type: 'tab', label: 'console prompt' },
  { id: 'cfg1', type: 'vault', name: 'Production', vaultId: VAULT_ID },
  { id: 'inj1', type: 'inject', z: 'tab1', name: 'go', props: [], repeat: '', once: false, wires: [['get1']] },
  {
    id: 'get1', type: 'vault-get-item', z: 'tab1', name: 'read', vault: 'cfg1', item: ITEM_ID, mode: 'item',
    property: 'payload', onLocked: 'wait', waitSeconds: 60, maskDebug: false, wires: [['dbg1']],
  },
  {
    id: 'dbg1', type: 'debug', z: 'tab1', name: 'went-on', active: true, tosidebar: false, console: true,
    complete: 'payload.username', targetType: 'msg', wires: [],
  },
];

describe('console prompt: a real Node-RED on a pseudo-terminal', function () {
  this.timeout(60_000);
  let red: NodeRedProcess | undefined;
  after(async () => {
    await red?.stop();
  });

  it('asks for the VSK with hidden input when a message needs the locked vault, unlocks, and the message goes on', async () => {
    await sodiumReady();
    red = await startNodeRed({ users: [ADMIN], tty: true, vault: { prompt: 'console' }, flows: FLOWS });
    const token = await red.token(ADMIN);
    const client = new VaultTestClient(fetchCall(red.url, token));
    const vault = await client.createVault('Production', VAULT_ID);
    const put = await client.putItem(vault, { id: ITEM_ID, name: 'db login', type: 'login', plain: { username: 'alice' }, secret: { password: PASSWORD_CANARY } });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    const inject = await fetch(`${red.url}inject/inj1`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(inject.status, 200);
    const r = red;
    await waitFor('the console question', () => r.log.includes('Vault Secret Key for "Production" (consolevault)'), 15_000);
    assert.match(r.log, /a flow needs vault "Production" \(consolevault\), which is locked on this runtime/);
    const before = r.log.length;
    red.type('vsk1_not-a-key\r');
    // Wait for the second question itself: echo is off once it shows.
    await waitFor('the second question', () => (r.log.match(/Vault Secret Key for "Production"/g)?.length ?? 0) === 2, 10_000);
    assert.match(r.log, /Try again \(2 of 3\)/);
    red.type(`${vault.vsk}\r`);
    await waitFor('the unlock', () => r.log.includes('vault "Production" (consolevault) unlocked.'), 10_000);
    await waitFor('the waiting message', () => /\[debug:went-on\][^\n]*\n?[^\n]*alice/.test(r.log), 10_000);
    const after = r.log.slice(before);
    assert.ok(!after.includes(vault.vsk.slice(5)), 'the typed key is not echoed');
    assert.ok(!after.includes('not-a-key'), 'a typed wrong key is not echoed either');
    assert.ok(!r.log.includes(PASSWORD_CANARY));
  });
});
