import { ID_PATTERN } from '../crypto/limits';

/** What goes over NOTIFY: ids only, and which store instance wrote it. */
export interface ChangeMessage {
  o: string;
  v: string;
  i?: string;
}

// PostgreSQL caps a payload at 8000 bytes; ours are far shorter. Anything longer is not ours.
const MAX_PAYLOAD = 8_000;

/**
 * A notification is untrusted input: any database login may NOTIFY on the channel. It is only a
 * hint to read the store again, so all it may carry is a vault id and an item id; anything else
 * is `undefined` (reported by the caller and skipped).
 */
export function parseChangeMessage(payload: unknown): ChangeMessage | undefined {
  if (typeof payload !== 'string' || payload.length > MAX_PAYLOAD) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { o, v, i } = message as Record<string, unknown>;
  if (typeof o !== 'string' || o.length > 64) return undefined;
  if (typeof v !== 'string' || !ID_PATTERN.test(v)) return undefined;
  if (i !== undefined && (typeof i !== 'string' || !ID_PATTERN.test(i))) return undefined;
  return i === undefined ? { o, v } : { o, v, i };
}
