import { migrateStore } from '../../../credentials';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { parseCommandArgs, positionals, requiredOption, stringOption } from '../options';
import { STORE_HELP, withStoreArg } from '../store-arg';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'copy every vault, item and approval from one store to another, as stored (nothing decrypted)',
  options: {
    from: { type: 'string' }, to: { type: 'string' }, 'from-schema': { type: 'string' }, 'to-schema': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  help: `Usage: nr-vault migrate --from STORE --to STORE [options]

Copies every vault record, item record (secret fields still sealed) and runtime approval of the
--from store into the --to store, e.g. from a file store to PostgreSQL when a second runtime
arrives, or back. Nothing is decrypted and no key is asked for. A record already in the target
must be identical (conflict otherwise, and nothing is written), so a migration can be repeated.
After the copy every record is read back from the target and compared with the source by the
BLAKE2b-256 digest of its canonical form. Restored items start again at version 1. Stop the
Node-RED that uses a file store first: it holds the file's lock.

Options:
  --from STORE                the store to read (required)
  --to STORE                  the store to write (required)
  --from-schema NAME          the PostgreSQL schema of --from (default NR_VAULT_PG_SCHEMA, else nr_vault)
  --to-schema NAME            the PostgreSQL schema of --to (default NR_VAULT_PG_SCHEMA, else nr_vault)

${STORE_HELP.replace(/\n {2}--schema NAME.*$/s, '')}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    positionals(parsed, []);
    const fromText = requiredOption(parsed, 'from');
    const toText = requiredOption(parsed, 'to');
    const fromSchema = stringOption(parsed, 'from-schema');
    const toSchema = stringOption(parsed, 'to-schema');
    if (fromText === toText && fromSchema === toSchema) throw new CliError('usage', '--from and --to name the same store.');
    const result = await withStoreArg(io, fromText, fromSchema, (from) => withStoreArg(io, toText, toSchema, (to) => migrateStore(from, to)));
    for (const v of result.vaults) {
      io.stdout(`vault ${JSON.stringify(v.name)} (${v.id}, ${v.created ? 'created' : 'already there, identical'}): `
        + `${v.itemsWritten} items copied, ${v.itemsIdentical} already there; ${v.approvalsWritten} approvals copied, ${v.approvalsIdentical} already there\n`);
    }
    io.stdout(`migrate: ${result.vaults.length} vaults; ${result.recordsVerified} records verified in the target (BLAKE2b-256 of each).\n`);
    return 0;
  },
};
