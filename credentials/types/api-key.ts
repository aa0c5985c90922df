import { ConnectionType, plain, secret } from './connection-type';

export const apiKey: ConnectionType = {
  name: 'api-key',
  label: 'API key',
  icon: 'fa-key',
  fields: [
    plain('header', 'Header', { default: 'Authorization' }),
    plain('prefix', 'Prefix', { default: 'Bearer' }),
    secret('key', 'Key', { required: true }),
  ],
};
