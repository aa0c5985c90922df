import { ConnectionType, plain, secret } from './connection-type';

/** The client-credentials grant (an Auth0 machine-to-machine application). */
export const oauth2Client: ConnectionType = {
  name: 'oauth2-client',
  label: 'OAuth2 client credentials',
  icon: 'fa-unlock-alt',
  fields: [
    plain('tokenUrl', 'Token URL', { required: true }),
    plain('clientId', 'Client ID', { required: true }),
    plain('audience', 'Audience'),
    plain('scope', 'Scope'),
    secret('clientSecret', 'Client secret', { required: true }),
    secret('accessToken', 'Access token', { runtimeWritten: true }),
    plain('expiresAt', 'Expires at', { runtimeWritten: true }),
  ],
};
