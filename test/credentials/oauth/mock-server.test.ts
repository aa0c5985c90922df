import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestToken, TokenRequestError, type TokenRequest } from '../../../credentials/oauth';
import { tokenEndpoint } from '../../../credentials';
import { closedPort } from '../../helpers/closed-port';
import { createVault, nodeRead, putItem, useRuntimes } from '../../helpers/oauth-fixture';

// oauth2-mock-server is ESM-only: loaded with a real dynamic import from this CommonJS build.
type MockServer = InstanceType<typeof import('oauth2-mock-server', { with: { 'resolution-mode': 'import' } })['OAuth2Server']>;

const isFailure = (failure: string, code: string) => (e: unknown): boolean =>
  e instanceof TokenRequestError && e.failure === failure && e.code === code;

describe('oauth: against oauth2-mock-server (a real OAuth2 server)', () => {
  let server: MockServer;
  let tokenUrl: string;
  let seen: Record<string, unknown>[];

  before(async () => {
    const { OAuth2Server } = await import('oauth2-mock-server');
    server = new OAuth2Server();
    await server.issuer.keys.generate('RS256');
    await server.start(0, '127.0.0.1');
    tokenUrl = `${server.issuer.url}/token`;
  });

  after(async () => {
    await server.stop();
  });

  beforeEach(() => {
    seen = [];
    server.service.removeAllListeners('beforeResponse');
    server.service.on('beforeResponse', (_res: unknown, req: { body: Record<string, unknown> }) => seen.push(req.body));
  });

  const request = (params: Record<string, string>, extra: Partial<TokenRequest> = {}): TokenRequest => ({
    endpoint: new URL(tokenUrl), clientId: 'm2m-app', clientSecret: 'm2m-secret', authMethod: 'client_secret_post', params, timeoutMs: 5000, ...extra,
  });

  it('client credentials: a signed JWT for the audience, with its lifetime', async () => {
    const set = await requestToken(request({ grant_type: 'client_credentials', audience: 'https://api.example', scope: 'read:things' }));
    const payload = JSON.parse(Buffer.from(set.accessToken.split('.')[1], 'base64url').toString('utf8'));
    assert.equal(payload.scope, 'read:things');
    assert.equal(set.expiresIn, 3600);
    assert.equal(set.refreshToken, undefined);
    assert.deepEqual(
      { grant: seen[0].grant_type, id: seen[0].client_id, secret: seen[0].client_secret, audience: seen[0].audience },
      { grant: 'client_credentials', id: 'm2m-app', secret: 'm2m-secret', audience: 'https://api.example' },
    );
  });

  it('refresh token grant: a new access token and a rotated refresh token', async () => {
    const set = await requestToken(request({ grant_type: 'refresh_token', refresh_token: 'rt-1' }));
    assert.equal(typeof set.refreshToken, 'string');
    assert.notEqual(set.refreshToken, 'rt-1');
    assert.equal(seen[0].refresh_token, 'rt-1');
  });

  it('classifies answers: 5xx transient, invalid_grant rejected (needs_reauth), other 4xx refused', async () => {
    const answer = (statusCode: number, body: Record<string, unknown>) => {
      server.service.once('beforeResponse', (res: { statusCode: number; body: unknown }) => {
        res.statusCode = statusCode;
        res.body = body;
      });
    };
    answer(502, { error: 'bad_gateway' });
    await assert.rejects(requestToken(request({ grant_type: 'client_credentials' })), isFailure('transient', 'token_error'));
    answer(400, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    await assert.rejects(requestToken(request({ grant_type: 'refresh_token', refresh_token: 'x' })), (e: unknown) =>
      isFailure('rejected', 'needs_reauth')(e) && /invalid_grant.*reconnect it on the Vault page/.test((e as Error).message));
    answer(403, { error: 'access_denied', error_description: 'Client has not been granted scopes' });
    await assert.rejects(requestToken(request({ grant_type: 'client_credentials' })), (e: unknown) =>
      isFailure('refused', 'token_error')(e) && /403 access_denied/.test((e as Error).message));
    answer(200, { token_type: 'Bearer' });
    await assert.rejects(requestToken(request({ grant_type: 'client_credentials' })), (e: unknown) =>
      isFailure('refused', 'token_error')(e) && /without an access_token/.test((e as Error).message));
  });

  it('a server that does not answer in time is a transient timeout; one that is not there is connection_failed', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      await assert.rejects(
        requestToken(request({ grant_type: 'client_credentials' }, { endpoint: new URL(`http://127.0.0.1:${port}/t`), timeoutMs: 200 })),
        isFailure('transient', 'timeout'),
      );
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    await assert.rejects(
      requestToken(request({ grant_type: 'client_credentials' }, { endpoint: new URL(`http://127.0.0.1:${await closedPort()}/t`) })),
      (e: unknown) => isFailure('transient', 'connection_failed')(e) && /ECONNREFUSED/.test((e as Error).message),
    );
  });

  it('an Auth0 domain alone means https://DOMAIN/oauth/token; a URL is used as it is', () => {
    assert.equal(tokenEndpoint('example.eu.auth0.com').href, 'https://example.eu.auth0.com/oauth/token');
    assert.equal(tokenEndpoint(' login.example.com ').href, 'https://login.example.com/oauth/token');
    assert.equal(tokenEndpoint('http://127.0.0.1:8080/token').href, 'http://127.0.0.1:8080/token');
    assert.throws(() => tokenEndpoint('ftp://x/y'), /neither an https:\/\/ URL nor an Auth0 domain/);
    assert.throws(() => tokenEndpoint('https://u:p@x/y'), /must not contain a user name or password/);
  });

  describe('through a VaultRuntime', () => {
    const runtimes = useRuntimes();
    afterEach(() => runtimes.cleanup());

    it('an oauth2-client connection gets its token from the server once, then from the vault', async () => {
      const rt = await runtimes.start();
      const vault = await createVault(rt);
      await rt.keyring.unlock(vault.id, vault.vsk);
      const id = await putItem(rt, vault, {
        type: 'oauth2-client', plain: { tokenUrl, clientId: 'm2m-app', audience: 'https://api.example' }, secret: { clientSecret: 'm2m-secret' },
      });
      const item = await nodeRead(rt, vault, id);
      assert.equal(item.fields.accessToken.split('.').length, 3, 'a JWT');
      await nodeRead(rt, vault, id);
      assert.equal(seen.length, 1);
    });
  });
});
