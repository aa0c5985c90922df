import { isAbsolute, resolve } from 'node:path';
import { createStore, type VaultStore } from '../../credentials';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';

export const STORE_HELP = `STORE is a vault store, opened directly (no runtime is involved):
  file:PATH                   a file store (nr-vault.json in a Node-RED user directory)
  postgres://…                a PostgreSQL store (postgresql://… too); "env" reads the
                              connection string from NR_VAULT_PG, which keeps a database
                              password off the command line
  --schema NAME               the PostgreSQL schema (default NR_VAULT_PG_SCHEMA, else nr_vault)`;

/** Opens the store an argument names; problems it finds in what it reads go to stderr. The caller closes it. */
export async function openStoreArg(io: CliIo, text: string, schema: string | undefined): Promise<VaultStore> {
  const warn = (message: string): void => io.stderr(`warning: ${message}\n`);
  let store: VaultStore;
  if (text.startsWith('file:')) {
    const path = text.slice('file:'.length);
    if (!path) throw new CliError('usage', 'file: needs a path, e.g. file:/home/nodered/.node-red/nr-vault.json.');
    store = await createStore({ type: 'file', path: isAbsolute(path) ? path : resolve(io.cwd, path) }, io.cwd, { warn });
  } else if (text === 'env' || /^postgres(ql)?:\/\//.test(text)) {
    const connectionString = text === 'env' ? io.env.NR_VAULT_PG : text;
    if (!connectionString) throw new CliError('usage', 'The store "env" needs NR_VAULT_PG to hold a connection string.');
    const s = schema ?? io.env.NR_VAULT_PG_SCHEMA;
    store = await createStore({ type: 'postgres', connectionString, ...(s ? { schema: s } : {}) }, io.cwd, { warn });
  } else {
    throw new CliError('usage', 'A store is file:PATH, postgres://… or env (NR_VAULT_PG).');
  }
  await store.open();
  return store;
}

/** Runs `fn` with the store open, and closes it whatever happens. */
export async function withStoreArg<T>(io: CliIo, text: string, schema: string | undefined, fn: (store: VaultStore) => Promise<T>): Promise<T> {
  const store = await openStoreArg(io, text, schema);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
