import { wipe } from '../../../credentials';
import type { Command } from '../command';
import { connect } from '../connect';
import { connectionArgs } from '../connection-args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, parseCommandArgs, positionals, requiredOption, stringOption } from '../options';
import { adminRootUrl } from '../runtime-url';
import { SCOPES } from '../scopes';
import { SECRET_HELP, readVaultSecret } from '../secret-source';
import { unlockVault } from '../unlock-vault';

export const unlockCommand: Command = {
  name: 'unlock',
  summary: "unlock a vault on a runtime: its key sealed to the runtime's pinned public key",
  options: { ...CONNECTION_OPTIONS, vault: { type: 'string' }, 'secret-file': { type: 'string' } },
  help: `Usage: nr-vault unlock URL --vault ID|NAME [options]

Checks the runtime's fingerprint against its pin, checks the Vault Secret Key against the vault's
public key here (a wrong key is never sent), then seals the key with a fresh nonce and time to the
runtime's public key and sends it (POST {URL}vault/vaults/{id}/unlock). The runtime proves that
it holds its key before any password or token is sent to it.
A runtime that matched an existing pin is then approved for the vault (recorded in its store, for
nr-vault fleet --from-store); on a first contact, check its fingerprint and use nr-vault approve.

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
    const conn = await connect(base, c.credentials, c.pins, c.timeoutMs, { scopes: SCOPES.unlock });
    c.pins.known.save();
    const vsk = await readVaultSecret(io, stringOption(parsed, 'secret-file'), JSON.stringify(vaultRef));
    try {
      const { vault, approval } = await unlockVault(conn, vaultRef, vsk);
      io.stdout(`Vault ${JSON.stringify(vault.name)} (${vault.id}) is unlocked on runtime ${conn.runtime.name} (${base.href}).\n`);
      if (approval?.recorded) io.stdout(`Its pinned key (fingerprint ${conn.runtime.fingerprint}) is now approved for this vault.\n`);
      else if (approval) io.stderr(`warning: the approval of this runtime was not recorded: ${approval.error.code}: ${approval.error.message}\n`);
      else io.stdout(`Not approved for fleet --from-store: this contact pinned it unchecked. Compare its fingerprint ${conn.runtime.fingerprint} with its log, then run nr-vault approve.\n`);
    } finally {
      wipe(vsk);
    }
    return 0;
  },
};
