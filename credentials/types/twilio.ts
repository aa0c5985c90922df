import { ConnectionType, plain, secret } from './connection-type';

export const twilio: ConnectionType = {
  name: 'twilio',
  label: 'Twilio',
  icon: 'fa-commenting',
  fields: [
    plain('accountSid', 'Account SID', { required: true }),
    plain('from', 'From number', { required: true }),
    secret('authToken', 'Auth token', { required: true }),
  ],
};
