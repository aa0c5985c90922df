import { ConnectionType, plain, secret } from './connection-type';

/** The refresh-token grant, with refresh-token rotation. */
export const oauth2Refresh: ConnectionType = {
  name: 'oauth2-refresh',
  label: 'OAuth2 refresh token',
  icon: 'fa-refresh',
  fields: [
    plain('tokenUrl', 'Token URL', { required: true }),
    plain('clientId', 'Client ID', { required: true }),
    plain('scope', 'Scope'),
    plain('authMethod', 'Client authentication', { default: 'client_secret_post', options: ['client_secret_post', 'client_secret_basic'] }),
    secret('clientSecret', 'Client secret'),
    secret('refreshToken', 'Refresh token', { required: true }),
    secret('accessToken', 'Access token', { runtimeWritten: true }),
    plain('expiresAt', 'Expires at', { runtimeWritten: true }),
    plain('issuedAt', 'Issued at', { runtimeWritten: true }),
  ],
};
