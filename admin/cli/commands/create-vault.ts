import { MAX_NAME_CHARS, newVaultRecord } from '../../../credentials';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { connect } from '../connect';
import { connectionArgs } from '../connection-args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, parseCommandArgs, positionals, requiredOption } from '../options';
import { adminRootUrl } from '../runtime-url';
import { SCOPES } from '../scopes';

export const createVaultCommand: Command = {
  name: 'create-vault',
  summary: 'make a vault and its Vault Secret Key here, create it on a runtime, print the key once',
  options: { ...CONNECTION_OPTIONS, name: { type: 'string' } },
  help: `Usage: nr-vault create-vault URL --name NAME [options]

Makes a new Vault Secret Key (VSK) on this machine, derives the vault's public key from it, and
creates the vault on the runtime (POST {URL}vault/vaults): the runtime never sees the VSK.
The VSK is printed once, on standard output: store it in your password manager. Without it the
vault's secrets cannot be read by anyone. The new vault is locked: unlock it with nr-vault unlock.

Options:
  --name NAME                 the vault's name (required)
${CONNECTION_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    const [urlText = ''] = positionals(parsed, ['URL']);
    const name = requiredOption(parsed, 'name');
    if (name.length > MAX_NAME_CHARS) throw new CliError('usage', `--name is at most ${MAX_NAME_CHARS} characters.`);
    const c = connectionArgs(io, parsed);
    const conn = await connect(adminRootUrl(urlText), c.credentials, c.pins, c.timeoutMs, { scopes: SCOPES.createVault });
    c.pins.known.save();
    const { record, vsk } = newVaultRecord(name);
    await conn.api.createVault(record);
    io.stdout(`Created vault ${JSON.stringify(name)} (id ${record.id}) on runtime ${conn.runtime.name}.\n`);
    io.stdout('Its Vault Secret Key follows. It is shown this once: store it safely now.\n');
    io.stdout(`${vsk}\n`);
    return 0;
  },
};
