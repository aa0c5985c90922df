/** Reading a node's editor properties, which arrive as loosely typed JSON. */

export function stringProp(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

/** A duration typed in seconds in the editor, in milliseconds; the fallback when not a positive number. */
export function secondsProp(value: unknown, fallbackSeconds: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return (Number.isFinite(n) && n > 0 ? n : fallbackSeconds) * 1000;
}

/** What `done(err)` needs, whatever was thrown. */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
