import { ConnectionType } from './connection-type';

export type ItemStatus = 'ready' | 'empty' | 'incomplete' | 'needs_reauth';

/**
 * ready: every required field is set; empty: no field at all; incomplete: otherwise.
 * A type's own state (needs_reauth), set by the runtime on the record, wins over all three.
 */
export function itemStatus(
  type: ConnectionType,
  plain: Record<string, string>,
  secretFields: readonly string[],
  state?: 'needs_reauth',
): ItemStatus {
  if (state === 'needs_reauth') return 'needs_reauth';
  const set = new Set([...Object.keys(plain).filter((k) => plain[k] !== ''), ...secretFields]);
  const userFields = type.fields.filter((f) => !f.runtimeWritten);
  if (![...set].some((f) => type.openFields || userFields.some((u) => u.name === f))) return 'empty';
  return type.fields.every((f) => !f.required || set.has(f.name)) ? 'ready' : 'incomplete';
}
