import { ConnectionType } from './connection-type';

/** Any fields, plain or secret, none required. */
export const custom: ConnectionType = {
  name: 'custom',
  label: 'Custom',
  icon: 'fa-cube',
  fields: [],
  openFields: true,
};
