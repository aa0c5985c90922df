import { wipe } from '../../../credentials';
import type { Command } from '../command';
import { connect } from '../connect';
import { connectionArgs } from '../connection-args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, parseCommandArgs, positionals, requiredOption, stringOption } from '../options';
import { adminRootUrl } from '../runtime-url';
import { SECRET_HELP, readVaultSecret } from '../secret-source';
import { unlockVault } from '../unlock-vault';

export const unlockCommand: Command = {
  name: 'unlock',
  summary: "unlock a vault on a runtime: its key sealed to the runtime's pinned public key",
  options: { ...CONNECTION_OPTIONS, vault: { type: 'string' }, 'secret-file': { type: 'string' } },
  help: `Usage: nr-vault unlock URL --vault ID|NAME [options]

Checks the runtime's fingerprint against its pin, checks the Vault Secret Key against the vault's
public key here (a wrong key is never sent), then seals the key with a fresh nonce and time to the
runtime's public key and sends it (POST {URL}vault/vaults/{id}/unlock).

Options:
  --vault ID|NAME             the vault, by id or by its unique name on that runtime (required)
                              (an id that starts with "-" is written --vault=ID)
  --secret-file FILE          read the Vault Secret Key from FILE ("-": standard input)
${CONNECTION_HELP}

${SECRET_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    const [urlText = ''] = positionals(parsed, ['URL']);
    const vaultRef = requiredOption(parsed, 'vault');
    const base = adminRootUrl(urlText);
    const c = connectionArgs(io, parsed);
    const conn = await connect(base, c.credentials, c.pins, c.timeoutMs);
    c.pins.known.save();
    const vsk = await readVaultSecret(io, stringOption(parsed, 'secret-file'), JSON.stringify(vaultRef));
    try {
      const vault = await unlockVault(conn, vaultRef, vsk);
      io.stdout(`Vault ${JSON.stringify(vault.name)} (${vault.id}) is unlocked on runtime ${conn.runtime.name} (${base.href}).\n`);
    } finally {
      wipe(vsk);
    }
    return 0;
  },
};
