import assert from 'node:assert/strict';
import { newId, sodiumReady } from '../../credentials';
import { rawRequest } from '../helpers/raw-request';
import { NODE_RED_MAJOR, startNodeRed, type NodeRedProcess } from '../helpers/node-red';
import type { TestVault } from '../helpers/vault-client';

const EVIL = 'http://evil.example';

/**
 * Issue 11, High 4: Node-RED 4.1 answers `Access-Control-Allow-Origin: *` and parses form posts, so
 * without adminAuth any web page read vault/vaults and locked or created vaults. The vault routes
 * now refuse other sites' requests in every Node-RED, while the CLI (no Origin) and a reverse proxy
 * keep working. The browser itself is in test/e2e/cross-site-browser.test.ts.
 */
describe('admin API: requests from other sites are refused', function () {
  this.timeout(120_000);
  let nr: NodeRedProcess;
  let vault: TestVault;
  let host: string;

  before(async () => {
    await sodiumReady();
    nr = await startNodeRed();
    host = `127.0.0.1:${nr.port}`;
    vault = await nr.client().createVault('Cross-site vault');
    assert.equal((await nr.client().unlock(vault)).status, 200);
  });
  after(() => nr?.stop());

  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    rawRequest(`${nr.url}${path}`, method, { host, ...headers }, body);
  const unlocked = async () => ((await nr.client().call('GET', 'vault/vaults')).body as { id: string; unlocked: boolean }[]).find((v) => v.id === vault.id)?.unlocked;
  const vaultIds = async () => ((await nr.client().call('GET', 'vault/vaults')).body as { id: string }[]).map((v) => v.id);

  it('a client that is not a browser (no Origin, as the CLI) is served, and the answer allows no other origin', async () => {
    const res = await send('GET', 'vault/vaults', { accept: 'application/json' });
    assert.equal(res.status, 200);
    assert.ok((res.body as { id: string }[]).some((v) => v.id === vault.id));
    assert.equal(res.headers['access-control-allow-origin'], undefined, 'Node-RED 4.1\'s "*" is removed from vault answers');
  });

  it('a page of another site (Sec-Fetch-Site: cross-site) reads nothing: 403 forbidden', async () => {
    const res = await send('GET', 'vault/vaults', { origin: EVIL, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
    assert.match(res.body.error.message, /Cross-site request refused/);
    assert.ok(!res.text.includes(vault.id), 'no vault id in the refusal');
  });

  it('an Origin that is not the editor\'s is refused when the browser sends no Sec-Fetch-Site (plain http to a LAN address)', async () => {
    for (const origin of [EVIL, `http://localhost:${nr.port}`, `http://127.0.0.1:${nr.port + 1}`, 'null', 'https://127.0.0.1']) {
      const res = await send('GET', 'vault/vaults', { origin });
      assert.equal(res.status, 403, origin);
    }
    // same-site (e.g. another port of localhost) is not same-origin: the Origin decides.
    const sameSite = await send('GET', 'vault/runtime', { origin: `http://127.0.0.1:${nr.port + 1}`, 'sec-fetch-site': 'same-site' });
    assert.equal(sameSite.status, 403);
  });

  it('a form post from another site neither locks nor creates a vault', async () => {
    const lock = await send('POST', `vault/vaults/${vault.id}/lock`, { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' }, 'x=1');
    assert.equal(lock.status, 403);
    assert.equal(await unlocked(), true);
    const id = newId();
    const form = new URLSearchParams({ id, name: 'Planted', share: 'A'.repeat(43), publicKey: 'A'.repeat(43) }).toString();
    const create = await send('POST', 'vault/vaults', { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' }, form);
    assert.equal(create.status, 403);
    assert.ok(!(await vaultIds()).includes(id));
  });

  it('the editor\'s own pages are served: Origin equal to Host, or Sec-Fetch-Site same-origin (a proxy that rewrites Host)', async () => {
    const own = await send('GET', 'vault/runtime', { origin: `http://${host}` });
    assert.equal(own.status, 200);
    const proxied = await send('GET', 'vault/runtime', { host: '127.0.0.1:1880', origin: 'https://nodered.example', 'sec-fetch-site': 'same-origin' });
    assert.equal(proxied.status, 200, 'nginx with proxy_pass and the default Host: the browser says same-origin');
    const defaultPort = await send('GET', 'vault/runtime', { host: 'nodered.example:443', origin: 'https://nodered.example' });
    assert.equal(defaultPort.status, 200, 'the default port is the same origin');
  });

  it('X-Forwarded-Host is not believed unless Express trusts the proxy (a page can send the header itself)', async () => {
    const res = await send('GET', 'vault/vaults', { origin: EVIL, 'x-forwarded-host': 'evil.example' });
    assert.equal(res.status, 403);
  });

  it('GET vault/runtime says that adminAuth is off, and the runtime warned about it at start', async () => {
    const res = await send('GET', 'vault/runtime', {});
    assert.equal(res.body.adminAuth, false);
    assert.equal(res.body.adminGuard, false);
    assert.match(nr.log, /\[warn\] nr-vault: Node-RED runs without adminAuth/);
  });

  describe('behind a trusted proxy, with adminAuth and vault.allowedOrigins', () => {
    let proxied: NodeRedProcess;
    let token: string;

    before(async () => {
      proxied = await startNodeRed({
        users: [{ username: 'admin', password: 'admin-pass-cross-site', permissions: '*' }],
        // Home Assistant's ingress or nginx on this machine: the proxy connects from loopback.
        vault: { allowedOrigins: ['https://dashboard.example:8443'] },
        // Node-RED's own CORS setting names an origin too: it may call the vault API as well.
        settings: { httpServerOptions: { 'trust proxy': 'loopback' }, httpAdminCors: { origin: ['https://ops.example'] } },
      });
      token = await proxied.token('admin');
    });
    after(() => proxied?.stop());

    const get = (headers: Record<string, string>) =>
      rawRequest(`${proxied.url}vault/runtime`, 'GET', { host: '172.30.33.5:1880', authorization: `Bearer ${token}`, ...headers });

    it('X-Forwarded-Host from the trusted proxy names the editor\'s origin (http, no Sec-Fetch-Site)', async () => {
      const res = await get({ origin: 'http://homeassistant.local:8123', 'x-forwarded-host': 'homeassistant.local:8123' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.adminAuth, true);
      const other = await get({ origin: EVIL, 'x-forwarded-host': 'homeassistant.local:8123' });
      assert.equal(other.status, 403);
    });

    it('a listed origin may call, and only it gets Access-Control-Allow-Origin', async () => {
      const listed = await get({ origin: 'https://dashboard.example:8443', 'sec-fetch-site': 'cross-site' });
      assert.equal(listed.status, 200);
      // Node-RED 4.1's default httpAdminCors allows any origin; Node-RED 5 sends no CORS header by default.
      assert.equal(listed.headers['access-control-allow-origin'], NODE_RED_MAJOR >= 5 ? undefined : '*');
      const unlisted = await get({ origin: 'https://dashboard.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(unlisted.status, 403);
      const cors = await get({ origin: 'https://ops.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(cors.status, 200, 'an origin named in httpAdminCors');
    });

    it('no warning about adminAuth', () => {
      assert.doesNotMatch(proxied.log, /runs without adminAuth/);
    });
  });
});
