import { sodiumReady } from '../../credentials';
import { CliError, toCliError } from './cli-error';
import type { CliIo } from './cli-io';
import type { Command } from './command';
import { approveCommand } from './commands/approve';
import { createVaultCommand } from './commands/create-vault';
import { exportCommand } from './commands/export';
import { fleetCommand } from './commands/fleet';
import { importCommand } from './commands/import';
import { lockCommand } from './commands/lock';
import { migrateCommand } from './commands/migrate';
import { runtimeCommand } from './commands/runtime';
import { unlockCommand } from './commands/unlock';
import { vaultsCommand } from './commands/vaults';
import { hintFor } from './hints';

export const COMMANDS: Command[] = [runtimeCommand, vaultsCommand, createVaultCommand, unlockCommand, lockCommand, fleetCommand, approveCommand, exportCommand, importCommand, migrateCommand];

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANCELLED = 130;

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: nr-vault COMMAND [options]

Unlock Node-RED runtimes remotely: each runtime's Vault Secret Key is sealed to that runtime's
public key, which is pinned on first contact (like ssh's known_hosts).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "nr-vault COMMAND --help" for a command's options.
Environment: NR_VAULT_TOKEN, NR_VAULT_PASSWORD, NR_VAULT_SECRET, NR_VAULT_KNOWN_RUNTIMES.
`;
}

/** Run one command line; returns the exit code. Errors: "nr-vault: error: CODE: message" and a hint. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new CliError('usage', `Unknown command ${JSON.stringify(name)}: use one of ${COMMANDS.map((c) => c.name).join(', ')}.`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.help}\n`);
      return EXIT_OK;
    }
    await sodiumReady();
    return await command.run(rest, io);
  } catch (e) {
    const err = toCliError(e);
    io.stderr(`nr-vault: error: ${err.code}: ${err.message}\n`);
    const hint = err.code === 'usage' && command ? `Run "nr-vault ${command.name} --help".` : hintFor(err.code);
    if (hint) io.stderr(`hint: ${hint}\n`);
    if (err.code === 'usage') return EXIT_USAGE;
    return err.code === 'cancelled' ? EXIT_CANCELLED : EXIT_FAILED;
  }
}
