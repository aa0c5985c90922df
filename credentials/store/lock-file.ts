import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { VaultError } from '../errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Files this process holds, so a second store in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * Take `<file>.lock` for this process: a second writer on one JSON file would silently lose
 * updates, so it is refused with a clear error. A lock left by a dead process is taken over.
 */
export function acquireLockFile(dataFile: string): () => void {
  const lockPath = `${dataFile}.lock`;
  if (heldHere.has(lockPath)) throw inUse(dataFile, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      heldHere.add(lockPath);
      return () => {
        heldHere.delete(lockPath);
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new VaultError('store_unavailable', `Cannot create the lock file ${lockPath}: ${(e as Error).message}`, { cause: e });
      }
      const holder = readHolder(lockPath);
      const sameHost = holder?.host === undefined || holder.host === hostname();
      if (holder && sameHost && holder.pid !== process.pid && alive(holder.pid)) throw inUse(dataFile, holder.pid);
      if (holder && !sameHost) throw inUse(dataFile, holder.pid, holder.host);
      unlinkSync(lockPath); // stale: its process is gone
    }
  }
  throw inUse(dataFile, 0);
}

function readHolder(lockPath: string): { pid: number; host?: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, host: typeof parsed.host === 'string' ? parsed.host : undefined } : undefined;
  } catch {
    return undefined; // unreadable or half-written by a killed process: stale
  }
}

function inUse(dataFile: string, pid: number, host?: string): VaultError {
  const who = host ? `process ${pid} on ${host}` : `process ${pid}`;
  return new VaultError(
    'store_locked',
    `The vault store ${dataFile} is in use by ${who}. Two runtimes cannot share one file store: stop the other one, or use the PostgreSQL store to share vaults.`,
  );
}
