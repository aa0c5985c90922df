import { ConnectionType, plain, secret } from './connection-type';

export const database: ConnectionType = {
  name: 'database',
  label: 'Database',
  icon: 'fa-database',
  fields: [
    plain('host', 'Host', { required: true }),
    plain('port', 'Port'),
    plain('database', 'Database'),
    plain('username', 'Username', { required: true }),
    secret('password', 'Password', { required: true }),
  ],
};
