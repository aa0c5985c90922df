import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import { loginForToken } from './runtime-api';

/** Where a runtime's adminAuth token comes from. */
export type AdminCredentials =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  | { kind: 'login'; user: string; password: () => Promise<string> };

/** --token, else NR_VAULT_TOKEN, else --user (password: NR_VAULT_PASSWORD or a hidden prompt, asked once). */
export function credentialsFromOptions(io: CliIo, token: string | undefined, user: string | undefined): AdminCredentials {
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

export async function tokenFor(base: URL, credentials: AdminCredentials, timeoutMs: number): Promise<string | undefined> {
  switch (credentials.kind) {
    case 'none':
      return undefined;
    case 'token':
      return credentials.token;
    case 'login':
      return loginForToken(base, credentials.user, await credentials.password(), timeoutMs);
  }
}
