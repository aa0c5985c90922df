import { cleanRemoteText, wipe } from '../../../credentials';
import { credentialsFromOptions } from '../admin-auth';
import { CliError, type CliErrorCode } from '../cli-error';
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
import { FROM_STORE_HELP, fleetFromStore } from '../store-fleet';

const DEFAULT_CONCURRENCY = 32;

export const fleetCommand: Command = {
  name: 'fleet',
  summary: 'unlock a vault on every runtime of a fleet file, in parallel',
  options: {
    ...CONNECTION_OPTIONS, vault: { type: 'string' }, 'secret-file': { type: 'string' }, concurrency: { type: 'string' },
    'from-store': { type: 'string' }, schema: { type: 'string' }, 'seen-within': { type: 'string' },
  },
  help: `Usage: nr-vault fleet FILE --vault ID|NAME [options]
       nr-vault fleet --from-store CONNECTION --vault ID|NAME [options]

Unlocks the vault on every runtime FILE lists, in parallel, each as nr-vault unlock does: its
fingerprint is checked against its pin, the key is checked here and sealed to each runtime's own
public key. Prints one line per runtime as it finishes, then a summary; exits 1 if any failed.

Options:
  --vault ID|NAME             the vault, by id or unique name on each runtime (required)
                              (an id that starts with "-" is written --vault=ID)
  --secret-file FILE          read the Vault Secret Key from FILE ("-": standard input)
  --concurrency N             runtimes contacted at once (default ${DEFAULT_CONCURRENCY}; 1: one after another)
  --from-store CONNECTION     instead of FILE: the runtimes registered in a PostgreSQL vault store
  --schema NAME               the store's schema (default NR_VAULT_PG_SCHEMA, else nr_vault)
  --seen-within MINUTES       with --from-store: only runtimes seen that recently
${CONNECTION_HELP}

${SECRET_HELP}

${FLEET_FILE_HELP}

${FROM_STORE_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    const fromStore = stringOption(parsed, 'from-store');
    if (parsed.positionals.length !== (fromStore === undefined ? 1 : 0)) {
      throw new CliError('usage', fromStore === undefined ? 'Expected FILE, the fleet file (or --from-store).' : 'Give either FILE or --from-store, not both.');
    }
    const vaultRef = requiredOption(parsed, 'vault');
    const fallback = credentialsFromOptions(io, stringOption(parsed, 'token'), stringOption(parsed, 'user'), stringOption(parsed, 'token-file'));
    const known = KnownRuntimes.load(knownRuntimesPath(io, stringOption(parsed, 'known-runtimes')));
    if (fromStore === undefined) return runFleet(io, parsed, known, readFleetFile(io, parsed.positionals[0] ?? '', fallback), vaultRef);
    const vsk = await readVaultSecret(io, stringOption(parsed, 'secret-file'), JSON.stringify(vaultRef));
    try {
      const fleet = await fleetFromStore(io, {
        connection: fromStore, schema: stringOption(parsed, 'schema'), seenWithinMinutes: minutesOf(parsed),
        credentials: fallback, vaultRef, vsk, known,
      });
      // From here on the vault is named by the id whose key was checked and whose approvals verified.
      return await runFleet(io, parsed, known, fleet.targets, fleet.vault.id, fleet.skipped, vsk);
    } finally {
      wipe(vsk);
    }
  },
};

/** Shared by `fleet FILE` and `fleet --from-store`: secret, passwords, the parallel unlock, the report. */
export async function runFleet(
  io: CliIo, parsed: ParsedArgs, known: KnownRuntimes, targets: FleetTarget[], vaultRef: string,
  skipped: { name: string; reason: string }[] = [], givenVsk?: Uint8Array,
): Promise<number> {
  const concurrency = concurrencyOf(parsed);
  const timeout = timeoutMs(parsed);
  const vsk = givenVsk ?? await readVaultSecret(io, stringOption(parsed, 'secret-file'), JSON.stringify(vaultRef));
  const started = performance.now();
  let results: FleetResult[];
  try {
    await askPasswordsFirst(targets);
    const nameWidth = Math.min(24, Math.max(0, ...targets.map((t) => t.name.length), ...skipped.map((t) => t.name.length)));
    for (const s of skipped) io.stdout(`${'FAILED'}  ${s.name.padEnd(nameWidth)}  (not contacted)  ${s.reason}\n`);
    results = await unlockFleet(targets, {
      vaultRef, vsk, known, acceptNewFingerprint: flagOption(parsed, 'accept-new-fingerprint'), timeoutMs: timeout, concurrency,
      onResult: (r) => io.stdout(`${resultLine(r, nameWidth)}\n`),
    });
  } finally {
    if (!givenVsk) wipe(vsk);
  }
  known.save();
  const failed = results.filter((r) => r.error);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const total = results.length + skipped.length;
  const failures = failed.length + skipped.length;
  io.stdout(`fleet: ${total} runtimes, ${total - failures} unlocked, ${failures} failed, in ${seconds} s\n`);
  const codes = [...new Set([...failed.map((r) => r.error?.code), ...skipped.map((s) => s.reason.split(':', 1)[0] as CliErrorCode)])];
  for (const code of codes) {
    const hint = code && hintFor(code);
    if (hint) io.stderr(`hint: ${code}: ${hint}\n`);
  }
  return failures > 0 ? 1 : 0;
}

function resultLine(r: FleetResult, nameWidth: number): string {
  const head = `${r.error ? 'FAILED' : 'ok    '}  ${r.target.name.padEnd(nameWidth)}  ${r.target.base.href}`;
  if (r.error) return `${head}  ${r.error.code}: ${r.error.message}`;
  const approval = r.approval === undefined ? '' : r.approval.recorded ? '; approved' : `; approval not recorded (${r.approval.error.code})`;
  return `${head}  vault ${JSON.stringify(cleanRemoteText(r.vault?.name ?? '', 80))} (${r.vault?.id}) unlocked (${Math.round(r.ms)} ms)${approval}`;
}

function minutesOf(parsed: ParsedArgs): number | undefined {
  const text = stringOption(parsed, 'seen-within');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new CliError('usage', '--seen-within takes a number of minutes greater than 0.');
  return n;
}

function concurrencyOf(parsed: ParsedArgs): number {
  const text = stringOption(parsed, 'concurrency');
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError('usage', '--concurrency takes a whole number of at least 1.');
  return n;
}
