import type { Command } from '../command';
import { connect } from '../connect';
import { connectionArgs } from '../connection-args';
import { findVault } from '../find-vault';
import { CONNECTION_HELP, CONNECTION_OPTIONS, parseCommandArgs, positionals, requiredOption } from '../options';
import { adminRootUrl } from '../runtime-url';
import { SCOPES } from '../scopes';

export const lockCommand: Command = {
  name: 'lock',
  summary: 'lock a vault on a runtime: it forgets the key and every value decrypted with it',
  options: { ...CONNECTION_OPTIONS, vault: { type: 'string' } },
  help: `Usage: nr-vault lock URL --vault ID|NAME [options]

Locks the vault on that runtime (POST {URL}vault/vaults/{id}/lock): the runtime forgets the Vault
Secret Key and every value decrypted with it (and its remembered copy, with rememberSecrets).

Options:
  --vault ID|NAME             the vault, by id or by its unique name on that runtime (required)
                              (an id that starts with "-" is written --vault=ID)
${CONNECTION_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    const [urlText = ''] = positionals(parsed, ['URL']);
    const vaultRef = requiredOption(parsed, 'vault');
    const base = adminRootUrl(urlText);
    const c = connectionArgs(io, parsed);
    const conn = await connect(base, c.credentials, c.pins, c.timeoutMs, { scopes: SCOPES.unlock });
    c.pins.known.save();
    const vault = await findVault(conn.api, vaultRef);
    await conn.api.lock(vault.id);
    io.stdout(`Vault ${JSON.stringify(vault.name)} (${vault.id}) is locked on runtime ${conn.runtime.name} (${base.href}).\n`);
    return 0;
  },
};
