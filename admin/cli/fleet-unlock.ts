import { CliError, toCliError } from './cli-error';
import { connect } from './connect';
import type { FleetTarget } from './fleet-file';
import type { KnownRuntimes } from './known-runtimes';
import type { VaultListing } from './runtime-api';
import { SCOPES } from './scopes';
import { unlockVault, type UnlockOutcome } from './unlock-vault';

export interface FleetResult {
  target: FleetTarget;
  ms: number;
  vault?: VaultListing;
  runtimeName?: string;
  approval?: UnlockOutcome['approval'];
  error?: CliError;
}

export interface FleetOptions {
  vaultRef: string;
  vsk: Uint8Array;
  known: KnownRuntimes;
  acceptNewFingerprint: boolean;
  timeoutMs: number;
  /** How many runtimes are contacted at once (1: one after another). */
  concurrency: number;
  onResult?: (r: FleetResult) => void;
}

/** Unlock one vault on every target, `concurrency` at a time. Never throws: each result says how it went. */
export async function unlockFleet(targets: FleetTarget[], options: FleetOptions): Promise<FleetResult[]> {
  const results: FleetResult[] = new Array<FleetResult>(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < targets.length; i = next++) {
      const target = targets[i];
      if (!target) continue;
      const result = await unlockOne(target, options);
      results[i] = result;
      options.onResult?.(result);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, targets.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

async function unlockOne(target: FleetTarget, options: FleetOptions): Promise<FleetResult> {
  const started = performance.now();
  try {
    const conn = await connect(target.base, target.credentials, {
      known: options.known, acceptNewFingerprint: options.acceptNewFingerprint, expected: target.expected,
    }, options.timeoutMs, { scopes: SCOPES.unlock });
    const { vault, approval } = await unlockVault(conn, options.vaultRef, options.vsk);
    return { target, ms: performance.now() - started, vault, runtimeName: conn.runtime.name, ...(approval ? { approval } : {}) };
  } catch (e) {
    return { target, ms: performance.now() - started, error: toCliError(e) };
  }
}

/** Ask every password a fleet needs before contacting any runtime, one prompt at a time. */
export async function askPasswordsFirst(targets: FleetTarget[]): Promise<void> {
  for (const t of targets) if (t.credentials.kind === 'login') await t.credentials.password();
}
