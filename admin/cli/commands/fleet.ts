import { wipe } from '../../../credentials';
import { credentialsFromOptions } from '../admin-auth';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import type { Command } from '../command';
import { FLEET_FILE_HELP, readFleetFile, type FleetTarget } from '../fleet-file';
import { askPasswordsFirst, unlockFleet, type FleetResult } from '../fleet-unlock';
import { hintFor } from '../hints';
import { KnownRuntimes, knownRuntimesPath } from '../known-runtimes';
import {
  CONNECTION_HELP, CONNECTION_OPTIONS, flagOption, parseCommandArgs, requiredOption, stringOption, timeoutMs, type ParsedArgs,
} from '../options';
import { SECRET_HELP, readVaultSecret } from '../secret-source';

const DEFAULT_CONCURRENCY = 32;

export const fleetCommand: Command = {
  name: 'fleet',
  summary: 'unlock a vault on every runtime of a fleet file, in parallel',
  options: {
    ...CONNECTION_OPTIONS, vault: { type: 'string' }, 'secret-file': { type: 'string' }, concurrency: { type: 'string' },
  },
  help: `Usage: nr-vault fleet FILE --vault ID|NAME [options]

Unlocks the vault on every runtime FILE lists, in parallel, each as nr-vault unlock does: its
fingerprint is checked against its pin, the key is checked here and sealed to each runtime's own
public key. Prints one line per runtime as it finishes, then a summary; exits 1 if any failed.

Options:
  --vault ID|NAME             the vault, by id or unique name on each runtime (required)
  --secret-file FILE          read the Vault Secret Key from FILE ("-": standard input)
  --concurrency N             runtimes contacted at once (default ${DEFAULT_CONCURRENCY}; 1: one after another)
${CONNECTION_HELP}

${SECRET_HELP}

${FLEET_FILE_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    if (parsed.positionals.length !== 1) throw new CliError('usage', 'Expected FILE, the fleet file.');
    const vaultRef = requiredOption(parsed, 'vault');
    const fallback = credentialsFromOptions(io, stringOption(parsed, 'token'), stringOption(parsed, 'user'));
    const targets = readFleetFile(io, parsed.positionals[0] ?? '', fallback);
    return runFleet(io, parsed, targets, vaultRef);
  },
};

/** Shared by `fleet FILE` and `fleet --from-store`: secret, passwords, the parallel unlock, the report. */
export async function runFleet(io: CliIo, parsed: ParsedArgs, targets: FleetTarget[], vaultRef: string): Promise<number> {
  const known = KnownRuntimes.load(knownRuntimesPath(io, stringOption(parsed, 'known-runtimes')));
  const concurrency = concurrencyOf(parsed);
  const timeout = timeoutMs(parsed);
  const vsk = await readVaultSecret(io, stringOption(parsed, 'secret-file'), JSON.stringify(vaultRef));
  const started = performance.now();
  let results: FleetResult[];
  try {
    await askPasswordsFirst(targets);
    const nameWidth = Math.min(24, Math.max(...targets.map((t) => t.name.length)));
    results = await unlockFleet(targets, {
      vaultRef, vsk, known, acceptNewFingerprint: flagOption(parsed, 'accept-new-fingerprint'), timeoutMs: timeout, concurrency,
      onResult: (r) => io.stdout(`${resultLine(r, nameWidth)}\n`),
    });
  } finally {
    wipe(vsk);
  }
  known.save();
  const failed = results.filter((r) => r.error);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  io.stdout(`fleet: ${results.length} runtimes, ${results.length - failed.length} unlocked, ${failed.length} failed, in ${seconds} s\n`);
  const codes = [...new Set(failed.map((r) => r.error?.code))];
  for (const code of codes) {
    const hint = code && hintFor(code);
    if (hint) io.stderr(`hint: ${code}: ${hint}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

function resultLine(r: FleetResult, nameWidth: number): string {
  const head = `${r.error ? 'FAILED' : 'ok    '}  ${r.target.name.padEnd(nameWidth)}  ${r.target.base.href}`;
  if (r.error) return `${head}  ${r.error.code}: ${r.error.message}`;
  return `${head}  vault ${JSON.stringify(r.vault?.name)} (${r.vault?.id}) unlocked (${Math.round(r.ms)} ms)`;
}

function concurrencyOf(parsed: ParsedArgs): number {
  const text = stringOption(parsed, 'concurrency');
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError('usage', '--concurrency takes a whole number of at least 1.');
  return n;
}
