import type { Command } from '../command';
import { connect, describePin } from '../connect';
import { connectionArgs } from '../connection-args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flagOption, parseCommandArgs, positionals } from '../options';
import { adminRootUrl } from '../runtime-url';
import { SCOPES } from '../scopes';

export const runtimeCommand: Command = {
  name: 'runtime',
  summary: "show a runtime's id, name and fingerprint, and pin it",
  options: { ...CONNECTION_OPTIONS, json: { type: 'boolean' } },
  help: `Usage: nr-vault runtime URL [options]

Shows the runtime's id, name and key fingerprint (GET {URL}vault/runtime). The first contact pins
the fingerprint in the known-runtimes file; a later change is refused (fingerprint_changed).
URL is Node-RED's admin root, e.g. http://host:1880/ (with httpAdminRoot: http://host:1880/admin/).

Options:
  --json                      print the answer as JSON
${CONNECTION_HELP}`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, this.options);
    const [urlText = ''] = positionals(parsed, ['URL']);
    const base = adminRootUrl(urlText);
    const c = connectionArgs(io, parsed);
    const conn = await connect(base, c.credentials, c.pins, c.timeoutMs, { scopes: SCOPES.runtime });
    c.pins.known.save();
    const { id, name, fingerprint } = conn.runtime;
    if (flagOption(parsed, 'json')) {
      io.stdout(`${JSON.stringify({ url: base.href, id, name, fingerprint, protocol: 1, pin: conn.pin })}\n`);
    } else {
      io.stdout(`url          ${base.href}\nid           ${id}\nname         ${name}\nfingerprint  ${fingerprint}\nprotocol     1\npin          ${describePin(conn.pin, c.pins.known.path)}\n`);
    }
    return 0;
  },
};
