import { ConnectionType, plain, secret } from './connection-type';

export const smtp: ConnectionType = {
  name: 'smtp',
  label: 'SMTP server',
  icon: 'fa-envelope',
  fields: [
    plain('host', 'Host', { required: true }),
    plain('port', 'Port', { default: '587' }),
    plain('secure', 'Implicit TLS', { default: 'false', options: ['false', 'true'] }),
    plain('username', 'Username'),
    plain('from', 'From', { required: true }),
    secret('password', 'Password'),
  ],
};
