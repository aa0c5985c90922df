import { CliError } from './cli-error';
import type { RuntimeApi, VaultListing } from './runtime-api';

/** The vault a runtime knows by this id, else by this exact name (which must be unique there). */
export async function findVault(api: RuntimeApi, idOrName: string): Promise<VaultListing> {
  const vaults = await api.vaults();
  const byId = vaults.find((v) => v.id === idOrName);
  if (byId) return byId;
  const byName = vaults.filter((v) => v.name === idOrName);
  if (byName.length === 1 && byName[0]) return byName[0];
  if (byName.length > 1) {
    throw new CliError('ambiguous_vault', `${byName.length} vaults on ${api.base.href} are named ${JSON.stringify(idOrName)}: ${byName.map((v) => v.id).join(', ')}.`);
  }
  throw new CliError('unknown_vault', `${api.base.href} has no vault with the id or name ${JSON.stringify(idOrName)}.`);
}
