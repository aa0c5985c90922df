import type { CliIo } from './cli-io';
import type { OptionSpec } from './options';

/** One `nr-vault` command: its options for util.parseArgs, its help, and what it does. Returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  options: OptionSpec;
  run(args: string[], io: CliIo): Promise<number>;
}
