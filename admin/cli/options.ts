import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options of every command that talks to a runtime. */
export const CONNECTION_OPTIONS: OptionSpec = {
  token: { type: 'string' },
  'token-file': { type: 'string' },
  user: { type: 'string' },
  'known-runtimes': { type: 'string' },
  'accept-new-fingerprint': { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const CONNECTION_HELP = `Connection options:
  --token-file FILE           a Node-RED adminAuth access token: the first line of FILE (private)
                              or set NR_VAULT_TOKEN; --token TOKEN works too, but every local
                              user sees it in the process list
  --user NAME                 log in as this adminAuth user; the password is asked with hidden
                              input, or read from NR_VAULT_PASSWORD
  --known-runtimes FILE       the pinning file (default NR_VAULT_KNOWN_RUNTIMES, else
                              ~/.nr-vault/known_runtimes)
  --accept-new-fingerprint    accept and record a runtime whose fingerprint changed
  --timeout SECONDS           per request (default 10)
  -h, --help                  this help`;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** util.parseArgs, strict; its errors become `usage` errors. */
export function parseCommandArgs(args: string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    const flat: Record<string, string | boolean | undefined> = {};
    for (const [k, v] of Object.entries(values)) flat[k] = Array.isArray(v) ? v[v.length - 1] : v;
    return { values: flat, positionals };
  } catch (e) {
    throw new CliError('usage', e instanceof Error ? e.message : 'Bad arguments.');
  }
}

export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flagOption(parsed: ParsedArgs, name: string): boolean {
  return parsed.values[name] === true;
}

export function requiredOption(parsed: ParsedArgs, name: string): string {
  const v = stringOption(parsed, name);
  if (v === undefined || v === '') throw new CliError('usage', `--${name} is required.`);
  return v;
}

/** Exactly `count` positional arguments, named for the message. */
export function positionals(parsed: ParsedArgs, names: string[]): string[] {
  if (parsed.positionals.length !== names.length) {
    throw new CliError('usage', `Expected ${names.join(' ')}${parsed.positionals.length > names.length ? ' and nothing more' : ''}.`);
  }
  return parsed.positionals;
}

export function timeoutMs(parsed: ParsedArgs): number {
  const text = stringOption(parsed, 'timeout');
  if (text === undefined) return 10_000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new CliError('usage', '--timeout takes a number of seconds greater than 0.');
  return Math.round(seconds * 1000);
}
