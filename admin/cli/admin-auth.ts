import { resolve } from 'node:path';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import { loginForToken } from './runtime-api';
import { readPrivateFirstLine } from './private-file';
import type { Scope } from './scopes';

/** Where a runtime's adminAuth token comes from. */
export type AdminCredentials =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  | { kind: 'login'; user: string; password: () => Promise<string> };

/**
 * --token-file, else --token (with a warning: the process list shows it), else NR_VAULT_TOKEN,
 * else --user (password: NR_VAULT_PASSWORD or a hidden prompt, asked once).
 */
export function credentialsFromOptions(
  io: CliIo, token: string | undefined, user: string | undefined, tokenFile?: string,
): AdminCredentials {
  if (tokenFile !== undefined) {
    const fromFile = readPrivateFirstLine(io, resolve(io.cwd, tokenFile), tokenFile, 'token').trim();
    if (!fromFile) throw new CliError('usage', `The token file ${tokenFile} is empty.`);
    return { kind: 'token', token: fromFile };
  }
  if (token !== undefined) {
    io.stderr('warning: --token is visible to every local user in the process list; use --token-file FILE or NR_VAULT_TOKEN.\n');
  }
  const t = token ?? io.env.NR_VAULT_TOKEN;
  if (t) return { kind: 'token', token: t };
  if (user) return { kind: 'login', user, password: passwordOnce(io, user, io.env.NR_VAULT_PASSWORD) };
  return { kind: 'none' };
}

/** A password from the given value, else asked (hidden) the first time it is needed. */
export function passwordOnce(io: CliIo, user: string, given: string | undefined, where = ''): () => Promise<string> {
  let asked: Promise<string> | undefined;
  return () => {
    if (given !== undefined) return Promise.resolve(given);
    if (!io.askHidden) {
      return Promise.reject(new CliError('no_password', `No password for user ${JSON.stringify(user)}${where} and no terminal to ask on.`));
    }
    asked ??= io.askHidden(`Password for ${user}${where}: `);
    return asked;
  };
}

/** The token for a command that needs `scopes` (none: no credentials are sent at all). */
export async function tokenFor(base: URL, credentials: AdminCredentials, timeoutMs: number, scopes: readonly Scope[]): Promise<string | undefined> {
  if (scopes.length === 0) return undefined;
  switch (credentials.kind) {
    case 'none':
      return undefined;
    case 'token':
      return credentials.token;
    case 'login':
      return loginForToken(base, credentials.user, await credentials.password(), timeoutMs, scopes);
  }
}
