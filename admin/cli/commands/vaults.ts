import { cleanRemoteText } from '../../../credentials';
import type { Command } from '../command';
import { connect } from '../connect';
import { connectionArgs } from '../connection-args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flagOption, parseCommandArgs, positionals } from '../options';
import { adminRootUrl } from '../runtime-url';
import { SCOPES } from '../scopes';

export const vaultsCommand: Command = {
  name: 'vaults',
  summary: 'list the vaults of a runtime and whether each is unlocked there',
  options: { ...CONNECTION_OPTIONS, json: { type: 'boolean' } },
  help: `Usage: nr-vault vaults URL [options]

Lists the vaults the runtime's store holds, and whether each is unlocked on that runtime.

Options:
  --json                      print [{ id, name, unlocked, createdAt }] as JSON
${CONNECTION_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    const [urlText = ''] = positionals(parsed, ['URL']);
    const c = connectionArgs(io, parsed);
    const conn = await connect(adminRootUrl(urlText), c.credentials, c.pins, c.timeoutMs, { scopes: SCOPES.vaults });
    c.pins.known.save();
    const vaults = await conn.api.vaults();
    if (flagOption(parsed, 'json')) {
      io.stdout(`${JSON.stringify(vaults.map((v) => ({ id: v.id, name: v.name, unlocked: v.unlocked, createdAt: v.createdAt })))}\n`);
      return 0;
    }
    if (vaults.length === 0) {
      io.stdout(`No vaults on runtime ${conn.runtime.name}: create one with nr-vault create-vault.\n`);
      return 0;
    }
    const idWidth = Math.max(2, ...vaults.map((v) => v.id.length));
    io.stdout(`${'ID'.padEnd(idWidth)}  STATE     NAME\n`);
    for (const v of vaults) {
      io.stdout(`${v.id.padEnd(idWidth)}  ${(v.unlocked ? 'unlocked' : 'locked').padEnd(8)}  ${cleanRemoteText(v.name, 80)}\n`);
    }
    return 0;
  },
};
