import { concatBytes, utf8 } from './encoding';
import { KEY_BYTES, LABEL_DESTINATION } from './labels';
import { sodium } from './sodium';

/**
 * The destination fields of each type (PROTOCOL.md, "Destination binding"): the plain fields that
 * say where the type's secrets are sent, in the order they enter the binding. Other types: none.
 */
export const DESTINATION_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  login: ['url'],
  database: ['host', 'port'],
  smtp: ['host', 'port', 'secure'],
  'oauth2-client': ['tokenUrl'],
  'oauth2-refresh': ['tokenUrl'],
});

export function destinationFields(type: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(DESTINATION_FIELDS, type) ? DESTINATION_FIELDS[type] : [];
}

/** The stored plain value of a field; empty when absent (never a value inherited from a prototype). */
function plainValue(plain: Readonly<Record<string, string>>, name: string): string {
  const v = Object.prototype.hasOwnProperty.call(plain, name) ? plain[name] : undefined;
  return typeof v === 'string' ? v : '';
}

/**
 * binding = BLAKE2b-256("nr-vault/v1 destination\0" || type || "\0" || for each destination field
 * of the type: name || "=" || value || "\0").
 */
export function destinationBinding(type: string, plain: Readonly<Record<string, string>>): Uint8Array {
  const zero = new Uint8Array([0]);
  const parts: Uint8Array[] = [utf8(LABEL_DESTINATION), zero, utf8(type), zero];
  for (const name of destinationFields(type)) parts.push(utf8(`${name}=${plainValue(plain, name)}`), zero);
  return sodium().crypto_generichash(KEY_BYTES, concatBytes(...parts), null);
}

/** Whether two plain field sets send a type's secrets to the same place (a type change always differs). */
export function sameDestination(
  a: { type: string; plain: Readonly<Record<string, string>> },
  b: { type: string; plain: Readonly<Record<string, string>> },
): boolean {
  return a.type === b.type && destinationFields(a.type).every((name) => plainValue(a.plain, name) === plainValue(b.plain, name));
}
