import { ConnectionType, plain, secret } from './connection-type';

export const login: ConnectionType = {
  name: 'login',
  label: 'Login',
  icon: 'fa-user',
  fields: [plain('url', 'URL'), plain('username', 'Username', { required: true }), secret('password', 'Password', { required: true })],
};
