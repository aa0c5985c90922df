import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importVault, wipe } from '../../../credentials';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { parseCommandArgs, positionals, requiredOption, stringOption } from '../options';
import { SECRET_HELP, readVaultSecret } from '../secret-source';
import { STORE_HELP, withStoreArg } from '../store-arg';

/** An export of many items stays far below this; a bigger file is not one. */
const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

export const importCommand: Command = {
  name: 'import',
  summary: 'restore one vault from a file written by nr-vault export, refusing an altered file',
  options: { store: { type: 'string' }, schema: { type: 'string' }, in: { type: 'string' }, 'secret-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  help: `Usage: nr-vault import --store STORE --in FILE [options]

Restores the vault in FILE (written by nr-vault export) into STORE. The Vault Secret Key must
open the file's vault record, and the file's signature, checked with the signing key derived
from that VSK, must cover every byte of its content: an altered file is refused (tampered) and
nothing is written. Records the store holds already must be identical to the file's (conflict
otherwise, and nothing is written); items of the store that the file lacks are kept. Restored
items start again at version 1.

Options:
  --store STORE               the store to write (required)
  --in FILE                   the export file (required)
  --secret-file FILE          read the Vault Secret Key from FILE ("-": standard input)

${STORE_HELP}

${SECRET_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    positionals(parsed, []);
    const storeText = requiredOption(parsed, 'store');
    const inPath = requiredOption(parsed, 'in');
    const file = readExport(resolve(io.cwd, inPath), inPath);
    const vsk = await readVaultSecret(io, stringOption(parsed, 'secret-file'), `the vault in ${inPath}`);
    try {
      const r = await withStoreArg(io, storeText, stringOption(parsed, 'schema'), (store) => importVault(store, file, vsk));
      io.stdout(`Imported vault ${JSON.stringify(r.vault.name)} (${r.vault.id}, ${r.vaultCreated ? 'created' : 'already there, identical'}): `
        + `${r.itemsWritten} items written, ${r.itemsIdentical} already there; ${r.approvalsWritten} approvals written, ${r.approvalsIdentical} already there.\n`);
    } finally {
      wipe(vsk);
    }
    return 0;
  },
};

function readExport(path: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError('file_unreadable', `The export file ${shown} cannot be read.`, { cause: e });
  }
  if (text.length > MAX_EXPORT_BYTES) throw new CliError('tampered', `${shown} is too big to be an nr-vault export.`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError('tampered', `${shown} is not JSON: it is not an nr-vault export, or it was damaged. Nothing was imported.`, { cause: e });
  }
}
