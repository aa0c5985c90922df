import { readFileSync, statSync } from 'node:fs';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';

/**
 * The first line of a file that holds a secret (a Vault Secret Key, a token). A regular file that
 * every local user may read is refused: the secret in it is no longer one. A file the group may
 * read is used with a warning. Pipes (`<(...)`, /dev/stdin) and Windows have no such modes.
 */
export function readPrivateFirstLine(io: CliIo, path: string, shown: string, what: string): string {
  let text: string;
  try {
    const st = statSync(path);
    if (process.platform !== 'win32' && st.isFile()) {
      if ((st.mode & 0o004) !== 0) {
        throw new CliError('file_unsafe', `The ${what} file ${shown} can be read by every user of this machine (mode ${modeText(st.mode)}): make it private with chmod 600 ${shown}.`);
      }
      if ((st.mode & 0o040) !== 0) io.stderr(`warning: the ${what} file ${shown} can be read by its group (mode ${modeText(st.mode)}); chmod 600 keeps it to you.\n`);
    }
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('file_unreadable', `The ${what} file ${shown} cannot be read.`, { cause: e });
  }
  return text.split(/\r?\n/, 1)[0] ?? '';
}

function modeText(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}
