import { VaultError, quote } from '../errors';
import { FIELD_NAME_PATTERN } from '../crypto/limits';
import { apiKey } from './api-key';
import { ConnectionType, FieldSpec } from './connection-type';
import { custom } from './custom';
import { database } from './database';
import { login } from './login';
import { oauth2Client } from './oauth2-client';
import { oauth2Refresh } from './oauth2-refresh';
import { smtp } from './smtp';
import { twilio } from './twilio';

export type { ConnectionType, FieldSpec } from './connection-type';
export { itemStatus, type ItemStatus } from './status';

export const CONNECTION_TYPES: readonly ConnectionType[] = [
  login, database, smtp, twilio, apiKey, oauth2Client, oauth2Refresh, custom,
];

const byName = new Map(CONNECTION_TYPES.map((t) => [t.name, t]));

/** The type of that name, or undefined (for data read from the store, which may name anything). */
export function findType(name: string): ConnectionType | undefined {
  return byName.get(name);
}

export function getType(name: unknown): ConnectionType {
  const t = typeof name === 'string' ? byName.get(name) : undefined;
  if (!t) {
    throw new VaultError('unknown_type', `Unknown connection type ${quote(name)}: use one of ${CONNECTION_TYPES.map((c) => c.name).join(', ')}.`);
  }
  return t;
}


/** The spec of a field of a type, or undefined when the type has no such field of that kind. */
export function fieldSpec(type: ConnectionType, name: string, kind: 'plain' | 'secret'): FieldSpec | undefined {
  if (type.openFields) return FIELD_NAME_PATTERN.test(name) ? { name, label: name, kind } : undefined;
  return type.fields.find((f) => f.name === name && f.kind === kind);
}
