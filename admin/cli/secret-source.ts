import { resolve } from 'node:path';
import { parseVsk } from '../../credentials';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import { readPrivateFirstLine } from './private-file';

export const SECRET_HELP = `The Vault Secret Key is never an argument. It comes from, in this order:
  --secret-file FILE          the first line of FILE ("-": standard input); a file every user
                              may read is refused (chmod 600 it)
  NR_VAULT_SECRET             the environment variable
  a hidden prompt             when standard input is a terminal (nothing is echoed)`;

/** The VSK as bytes (the caller wipes them), from --secret-file, NR_VAULT_SECRET or a hidden prompt. */
export async function readVaultSecret(io: CliIo, secretFile: string | undefined, vaultLabel: string): Promise<Uint8Array> {
  let text: string;
  if (secretFile === '-') {
    text = firstLine(await io.readStdin());
  } else if (secretFile !== undefined) {
    text = readPrivateFirstLine(io, resolve(io.cwd, secretFile), secretFile, 'secret');
  } else if (io.env.NR_VAULT_SECRET) {
    text = io.env.NR_VAULT_SECRET;
  } else if (io.askHidden) {
    text = await io.askHidden(`Vault Secret Key for ${vaultLabel} (input hidden): `);
  } else {
    throw new CliError('no_secret', 'No Vault Secret Key: standard input is not a terminal, and neither --secret-file nor NR_VAULT_SECRET is set.');
  }
  return parseVsk(text); // its error never repeats the input
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}
