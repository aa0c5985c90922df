import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { adminGuardCheck } from '../../admin/admin-guard';
import { crossSiteRefusal, hostRefusal } from '../../admin/request-origin';

/** A request as Express hands it over: headers, method, the socket's address and (maybe) the app's trust proxy. */
function req(headers: Record<string, string>, extra: { method?: string; trust?: (a: string | undefined) => boolean } = {}): IncomingMessage {
  const app = extra.trust ? { get: (name: string) => (name === 'trust proxy fn' ? extra.trust : undefined) } : undefined;
  return { headers, method: extra.method ?? 'GET', socket: { remoteAddress: '127.0.0.1' }, app } as unknown as IncomingMessage;
}

describe('admin: telling other sites\' requests from the editor\'s own (request-origin.ts)', () => {
  it('compares Origin and Host as URLs: case, default ports and IPv6 brackets; never a Host with credentials or a path', () => {
    assert.equal(crossSiteRefusal(req({ host: 'NodeRed.Example:443', origin: 'https://nodered.example' })), undefined);
    assert.equal(crossSiteRefusal(req({ host: '[::1]:1880', origin: 'http://[::1]:1880' })), undefined);
    assert.equal(crossSiteRefusal(req({ host: 'nodered.example', origin: 'http://nodered.example:80' })), undefined);
    for (const host of ['127.0.0.1:1880@evil.example', 'evil.example/x', '127.0.0.1:1881', '']) {
      assert.notEqual(crossSiteRefusal(req({ host, origin: 'http://127.0.0.1:1880' })), undefined, host);
    }
    assert.notEqual(crossSiteRefusal(req({ host: 'a.example', origin: 'ftp://a.example' })), undefined);
    assert.notEqual(crossSiteRefusal(req({ origin: 'http://a.example' })), undefined, 'no Host at all');
  });

  it('believes the browser: same-origin and none pass, cross-site fails whatever Origin and Host say', () => {
    assert.equal(crossSiteRefusal(req({ host: 'internal:1880', origin: 'https://public.example', 'sec-fetch-site': 'same-origin' })), undefined);
    assert.equal(crossSiteRefusal(req({ 'sec-fetch-site': 'none' })), undefined);
    assert.notEqual(crossSiteRefusal(req({ host: 'a.example', origin: 'http://a.example', 'sec-fetch-site': 'cross-site' })), undefined);
    assert.notEqual(crossSiteRefusal(req({ 'sec-fetch-site': 'cross-site' })), undefined, 'cross-site without Origin (a no-cors load)');
    assert.notEqual(crossSiteRefusal(req({ 'sec-fetch-site': 'same-site' })), undefined);
  });

  it('lets a cross-site GET navigation through only where asked (opening the editor from a link), never a POST', () => {
    const nav = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', origin: 'http://evil.example' };
    assert.notEqual(crossSiteRefusal(req(nav)), undefined);
    assert.equal(crossSiteRefusal(req(nav), { allowNavigation: true }), undefined);
    assert.notEqual(crossSiteRefusal(req(nav, { method: 'POST' }), { allowNavigation: true }), undefined);
  });

  it('X-Forwarded-Host counts only when trust proxy trusts the connecting address; the first of a list', () => {
    const headers = { host: '172.30.33.5:1880', origin: 'http://ha.local:8123', 'x-forwarded-host': 'ha.local:8123, other' };
    assert.notEqual(crossSiteRefusal(req(headers)), undefined);
    assert.notEqual(crossSiteRefusal(req(headers, { trust: () => false })), undefined);
    assert.equal(crossSiteRefusal(req(headers, { trust: (a) => a === '127.0.0.1' })), undefined);
  });

  it('allowedOrigins are compared as origins; "null" is never allowed', () => {
    const allowed = ['https://dash.example:8443/'];
    assert.equal(crossSiteRefusal(req({ origin: 'https://DASH.example:8443', 'sec-fetch-site': 'cross-site' }), { allowedOrigins: allowed }), undefined);
    assert.notEqual(crossSiteRefusal(req({ origin: 'null' }), { allowedOrigins: ['null'] }), undefined);
  });

  it('a refusal quotes header text printable and short (it comes from whoever sent the request)', () => {
    const reason = crossSiteRefusal(req({ host: 'a', origin: `http://evil.example/\u001b[31m${'x'.repeat(500)}` })) ?? '';
    assert.ok(!reason.includes('\u001b'));
    assert.ok(reason.length < 300, String(reason.length));
  });

  it('the npm start guard: loopback Host names only (DNS rebinding), then the cross-site check', () => {
    for (const host of ['127.0.0.1:1880', 'localhost:1880', '[::1]:1880', 'LOCALHOST']) assert.equal(hostRefusal(req({ host }), ['127.0.0.1', 'localhost', '[::1]']), undefined, host);
    for (const host of ['rebind.example:1880', 'localhost.evil.example', '127.0.0.2:1880', '']) assert.notEqual(hostRefusal(req({ host }), ['127.0.0.1', 'localhost', '[::1]']), undefined, host);
    const check = adminGuardCheck();
    assert.equal(check(req({ host: '127.0.0.1:1880' })), undefined, 'the CLI');
    assert.notEqual(check(req({ host: '127.0.0.1:1880', origin: 'http://localhost:1880' })), undefined);
  });
});
