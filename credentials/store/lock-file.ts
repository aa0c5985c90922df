import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { VaultError } from '../errors';

/**
 * `<file>.lock` is a directory holding one empty file whose name says who holds the lock:
 * `holder.<pid>.<base64url host>.<random>`. Every step is one atomic file-system call, so of many
 * processes that start at once on a lock left by a dead one, exactly one ends up holding it:
 *
 * - take: `mkdir` (fails if it exists), then create the holder file, then list the directory: the
 *   lock is ours only if our file is the only one. Of two processes that each create a file, the
 *   later one sees the other's, so both cannot see only their own.
 * - take over from a dead holder: `unlink` that holder's file (of several processes trying, one
 *   succeeds, the others get ENOENT and start again), then `rmdir` (fails unless empty), then take.
 * - the name is made whole by one call, so there is no half-written lock to misread as stale
 *   (0.1.0 wrote a JSON file in two steps, and an empty one was taken over).
 *
 * An empty directory is a taker between its two steps; one older than EMPTY_STALE_MS is what a
 * process killed between them left, and is removed (`rmdir`, which fails if a holder appeared).
 */
const EMPTY_STALE_MS = 10_000;
const RETRY_FOR_MS = 3_000;
const HOLDER = /^holder\.(\d+)\.([A-Za-z0-9_-]*)\.[A-Za-z0-9_-]+$/;

/** Files this process holds, so a second store in the same process is refused too. */
const heldHere = new Set<string>();

interface Holder {
  name: string;
  pid: number;
  host: string;
}

/**
 * Take `<file>.lock` for this process: a second writer on one JSON file would silently lose
 * updates, so it is refused with a clear error. A lock left by a dead process is taken over.
 */
export function acquireLockFile(dataFile: string): () => void {
  const lockDir = `${dataFile}.lock`;
  if (heldHere.has(lockDir)) throw inUse(dataFile, process.pid);
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const held = tryTake(lockDir);
    if (held) {
      heldHere.add(lockDir);
      return () => release(lockDir, held);
    }
    const blocker = clearStale(dataFile, lockDir);
    if (blocker && Date.now() > deadline) throw blocker;
    if (blocker) pause(10 + Math.random() * 20);
  }
}

/** mkdir, holder file, then the check that ours is the only holder. The holder file name, or undefined. */
function tryTake(lockDir: string): string | undefined {
  try {
    mkdirSync(lockDir, { mode: 0o700 });
  } catch (e) {
    if (code(e) === 'EEXIST') return undefined;
    throw unavailable(lockDir, e);
  }
  const name = `holder.${process.pid}.${Buffer.from(hostname()).toString('base64url')}.${randomBytes(6).toString('base64url')}`;
  try {
    closeSync(openSync(join(lockDir, name), 'wx', 0o600));
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined; // removed as stale between our two steps: start again
    throw unavailable(lockDir, e);
  }
  const names = readdirSync(lockDir);
  if (names.length === 1 && names[0] === name) return name;
  unlinkQuietly(join(lockDir, name)); // another taker got in between: let the check decide again
  return undefined;
}

/**
 * Remove what a dead process left, if anything. Throws if a live process holds the lock. Returns
 * the error to give if the lock is between states (a taker's two steps, colliding takers) and
 * stays so until the deadline, or undefined to try taking at once.
 */
function clearStale(dataFile: string, lockDir: string): VaultError | undefined {
  let names: string[];
  try {
    names = readdirSync(lockDir);
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined; // released meanwhile
    if (code(e) === 'ENOTDIR') return clearLegacyFile(dataFile, lockDir);
    throw unavailable(lockDir, e);
  }
  const holders = names.map(parseHolder);
  if (holders.length === 0) {
    if (ageMs(lockDir) < EMPTY_STALE_MS) return inUse(dataFile, 0); // a taker between its two steps
    removeDirQuietly(lockDir);
    return undefined;
  }
  const live = holders.filter((h): h is Holder => h !== undefined && (h.host !== hostname() || alive(h.pid)));
  // One live holder is settled: refuse at once. Two are takers colliding: one of them will win.
  if (live.length === 1) throw inUse(dataFile, live[0].pid, live[0].host === hostname() ? undefined : live[0].host);
  if (live.length > 1) return inUse(dataFile, live[0].pid);
  // Every holder is dead (or unreadable, which no version of this package writes): remove them.
  for (const name of names) unlinkQuietly(join(lockDir, name));
  removeDirQuietly(lockDir);
  return undefined;
}

/** A 0.1.0 lock: a JSON file `{ pid, host }`. Unlink cannot remove a directory, so this never removes a new lock. */
function clearLegacyFile(dataFile: string, lockPath: string): VaultError | undefined {
  let holder: { pid?: unknown; host?: unknown } | undefined;
  try {
    holder = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown; host?: unknown };
  } catch {
    holder = undefined;
  }
  const pid = typeof holder?.pid === 'number' ? holder.pid : undefined;
  const host = typeof holder?.host === 'string' ? holder.host : hostname();
  if (pid === undefined && ageMs(lockPath) < EMPTY_STALE_MS) return inUse(dataFile, 0); // being written
  if (pid !== undefined && host !== hostname()) throw inUse(dataFile, pid, host);
  if (pid !== undefined && alive(pid)) throw inUse(dataFile, pid);
  unlinkQuietly(lockPath);
  return undefined;
}

function release(lockDir: string, name: string): void {
  heldHere.delete(lockDir);
  unlinkQuietly(join(lockDir, name));
  removeDirQuietly(lockDir);
}

function parseHolder(name: string): Holder | undefined {
  const m = HOLDER.exec(name);
  return m ? { name, pid: Number(m[1]), host: Buffer.from(m[2], 'base64url').toString() } : undefined;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // a lock file of ours that heldHere does not know: a former process with our pid
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === 'EPERM';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already (another process cleared it), or a directory: either way not ours to remove
  }
}

function removeDirQuietly(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // not empty (a taker got in) or gone: the next round looks again
  }
}

/** Synchronous sleep: the lock is taken in the synchronous part of open(), and rarely waits. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

function unavailable(lockPath: string, e: unknown): VaultError {
  return new VaultError('store_unavailable', `Cannot create the lock ${lockPath}: ${(e as Error).message}`, { cause: e });
}

function inUse(dataFile: string, pid: number, host?: string): VaultError {
  const who = pid === 0 ? 'another process that is starting' : host ? `process ${pid} on ${host}` : `process ${pid}`;
  return new VaultError(
    'store_locked',
    `The vault store ${dataFile} is in use by ${who}. Two runtimes cannot share one file store: stop the other one, or use the PostgreSQL store to share vaults.`,
  );
}
