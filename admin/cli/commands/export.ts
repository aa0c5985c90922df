import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportVault, wipe } from '../../../credentials';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { parseCommandArgs, positionals, requiredOption, stringOption } from '../options';
import { SECRET_HELP, readVaultSecret } from '../secret-source';
import { STORE_HELP, withStoreArg } from '../store-arg';

export const exportCommand: Command = {
  name: 'export',
  summary: 'back up one vault from a store to a signed file (ciphertext only)',
  options: { store: { type: 'string' }, schema: { type: 'string' }, vault: { type: 'string' }, out: { type: 'string' }, 'secret-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  help: `Usage: nr-vault export --store STORE --vault ID --out FILE [options]

Writes one vault to FILE: its record, every item record (secret fields as the store keeps them,
sealed) and its runtime approvals, signed with the vault's signing key, which is derived here
from the Vault Secret Key (checked against the vault record first). FILE reveals what the store
reveals (names, plain fields, ids) and no secret value; it is useless without the VSK, and
nr-vault import refuses it if a byte of it was changed. FILE must not exist yet.

Options:
  --store STORE               the store to read (required)
  --vault ID                  the vault's id (required)
  --out FILE                  the file to write (required; "-": standard output)
  --secret-file FILE          read the Vault Secret Key from FILE ("-": standard input)

${STORE_HELP}

${SECRET_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    positionals(parsed, []);
    const storeText = requiredOption(parsed, 'store');
    const vaultId = requiredOption(parsed, 'vault');
    const out = requiredOption(parsed, 'out');
    const vsk = await readVaultSecret(io, stringOption(parsed, 'secret-file'), JSON.stringify(vaultId));
    try {
      const file = await withStoreArg(io, storeText, stringOption(parsed, 'schema'), (store) => exportVault(store, vaultId, vsk));
      const text = `${JSON.stringify(file, null, 2)}\n`;
      if (out === '-') {
        io.stdout(text);
      } else {
        try {
          writeFileSync(resolve(io.cwd, out), text, { flag: 'wx', mode: 0o600 });
        } catch (e) {
          const exists = (e as NodeJS.ErrnoException).code === 'EEXIST';
          throw new CliError(exists ? 'exists' : 'file_unreadable', exists ? `${out} exists already: nothing was written (choose another --out).` : `${out} cannot be written.`, { cause: e });
        }
        io.stdout(`Exported vault ${JSON.stringify(file.vault.name)} (${file.vault.id}): ${file.items.length} items, ${file.approvals.length} approvals, to ${out}.\n`);
      }
    } finally {
      wipe(vsk);
    }
    return 0;
  },
};
