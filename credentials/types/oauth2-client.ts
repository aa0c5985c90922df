import { ConnectionType, plain, secret } from './connection-type';

/**
 * The client-credentials grant (an Auth0 machine-to-machine application). `tokenUrl` may be an Auth0
 * domain alone (https://<domain>/oauth/token). The runtime keeps `accessToken`, `expiresAt` and
 * `issuedAt` (unix ms) fresh: see credentials/oauth/.
 */
export const oauth2Client: ConnectionType = {
  name: 'oauth2-client',
  label: 'OAuth2 client credentials',
  icon: 'fa-unlock-alt',
  fields: [
    plain('tokenUrl', 'Token URL', { required: true }),
    plain('clientId', 'Client ID', { required: true }),
    plain('audience', 'Audience'),
    plain('scope', 'Scope'),
    plain('authMethod', 'Client authentication', { default: 'client_secret_post', options: ['client_secret_post', 'client_secret_basic'] }),
    secret('clientSecret', 'Client secret', { required: true }),
    secret('accessToken', 'Access token', { runtimeWritten: true }),
    plain('expiresAt', 'Expires at', { runtimeWritten: true }),
    plain('issuedAt', 'Issued at', { runtimeWritten: true }),
  ],
};
