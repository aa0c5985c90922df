import { FINGERPRINT_PATTERN, openVaultKeyPair, signApproval, wipe } from '../../../credentials';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import type { Command } from '../command';
import { connect } from '../connect';
import { connectionArgs } from '../connection-args';
import { findVault } from '../find-vault';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flagOption, parseCommandArgs, positionals, requiredOption, stringOption } from '../options';
import type { PinState } from '../pinning';
import type { RuntimeIdentity } from '../runtime-api';
import { adminRootUrl } from '../runtime-url';
import { SCOPES } from '../scopes';
import { SECRET_HELP, readVaultSecret } from '../secret-source';

export const approveCommand: Command = {
  name: 'approve',
  summary: "approve one runtime's key for a vault (signed with the vault's key), after checking its fingerprint",
  options: { ...CONNECTION_OPTIONS, vault: { type: 'string' }, 'secret-file': { type: 'string' }, fingerprint: { type: 'string' }, revoke: { type: 'boolean' } },
  help: `Usage: nr-vault approve URL --vault ID|NAME [options]

Approves the runtime at URL for the vault: signs (vault id, runtime id, runtime public key) with
the vault's signing key, which is derived from the Vault Secret Key here, and records the approval
in the runtime's store (PUT {URL}vault/vaults/{id}/approvals/{runtime}). nr-vault fleet
--from-store, and any page that lists the runtimes of a shared store, seal the key only to
runtimes whose approval verifies.

Approve only a runtime whose fingerprint you checked another way: the runtime logs it at start.
The fingerprint must match, before anything is sent, one of: its pin in the known-runtimes file,
--fingerprint, or your answer at the prompt (which shows it). The runtime proves that it holds
the key before it receives credentials.

Options:
  --vault ID|NAME             the vault, by id or by its unique name on that runtime (required)
  --fingerprint FP            the fingerprint you checked (43 characters); needed without a pin
                              when there is no terminal to confirm on
                              (one that starts with "-" is written --fingerprint=FP)
  --revoke                    remove the runtime's approval instead (needs no key)
  --secret-file FILE          read the Vault Secret Key from FILE ("-": standard input)
${CONNECTION_HELP}

${SECRET_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    const [urlText = ''] = positionals(parsed, ['URL']);
    const vaultRef = requiredOption(parsed, 'vault');
    const given = stringOption(parsed, 'fingerprint');
    if (given !== undefined && !FINGERPRINT_PATTERN.test(given)) throw new CliError('usage', '--fingerprint is a runtime fingerprint: 43 letters, digits, "-" or "_".');
    const base = adminRootUrl(urlText);
    const c = connectionArgs(io, parsed);
    const revoke = flagOption(parsed, 'revoke');
    const conn = await connect(base, c.credentials, c.pins, c.timeoutMs, {
      scopes: SCOPES.unlock,
      // Revoking trusts nothing about the runtime; approving needs its identity checked.
      confirm: revoke ? undefined : (runtime, pin) => confirmFingerprint(io, base, runtime, pin, given),
    });
    c.pins.known.save();
    const vault = await findVault(conn.api, vaultRef);
    if (revoke) {
      await conn.api.deleteApproval(vault.id, conn.runtime.id);
      io.stdout(`Runtime ${conn.runtime.name} (${conn.runtime.id}) is no longer approved for vault ${JSON.stringify(vault.name)} (${vault.id}).\n`);
      return 0;
    }
    const vsk = await readVaultSecret(io, stringOption(parsed, 'secret-file'), JSON.stringify(vaultRef));
    try {
      wipe(openVaultKeyPair(vsk, vault).secretKey); // a wrong key is wrong_secret here, and signs nothing
      await conn.api.putApproval(signApproval(vsk, vault, conn.runtime));
    } finally {
      wipe(vsk);
    }
    io.stdout(`Runtime ${conn.runtime.name} (${conn.runtime.id}, fingerprint ${conn.runtime.fingerprint}) is approved for vault ${JSON.stringify(vault.name)} (${vault.id}).\n`);
    return 0;
  },
};

/** The runtime's fingerprint must match a pin, --fingerprint, or the admin's explicit "yes". */
async function confirmFingerprint(io: CliIo, base: URL, runtime: RuntimeIdentity, pin: PinState, given: string | undefined): Promise<void> {
  if (given !== undefined) {
    if (given !== runtime.fingerprint) {
      throw new CliError('fingerprint_changed', `The runtime at ${base.href} shows fingerprint ${runtime.fingerprint}, not ${given}: nothing was approved.`);
    }
    return;
  }
  if (pin === 'pinned') return;
  if (!io.ask) {
    throw new CliError('not_approved', `The fingerprint of the runtime at ${base.href} is not pinned yet: give the one you checked with --fingerprint (there is no terminal to confirm on).`);
  }
  io.stderr(`Runtime ${runtime.name} (${runtime.id}) at ${base.href}\nfingerprint ${runtime.fingerprint}\nCompare it with the fingerprint this runtime logs at start.\n`);
  const answer = (await io.ask('Is this the fingerprint you checked? Type "yes" to approve: ')).trim().toLowerCase();
  if (answer !== 'yes') throw new CliError('cancelled', 'Not confirmed: nothing was approved.');
}
