import { ApprovalChecker, cleanRemoteText, fromB64, openVaultKeyPair, readStoreRegistry, runtimeFingerprint, wipe, type RuntimeRegistration, type VaultRecord } from '../../credentials';
import type { AdminCredentials } from './admin-auth';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import type { FleetTarget } from './fleet-file';
import type { KnownRuntimes } from './known-runtimes';
import { adminRootUrl } from './runtime-url';

export const FROM_STORE_HELP = `--from-store: the runtimes that registered with a shared PostgreSQL vault store. The store is
writable by anyone with its connection string, so nothing read from it is trusted on its own:
the Vault Secret Key is checked against the stored vault record, the vault's signing key is
derived from it, and only a runtime whose approval (nr-vault approve, or an unlock of a pinned
runtime) verifies for its id and key is contacted; the others are reported not_approved with
their fingerprint. A pin in the known-runtimes file always wins over the store. Each approved
runtime is contacted at the adminUrl it registered (vault.adminUrl in its settings.js) and must
prove that it holds the approved key before it receives credentials. CONNECTION is a postgres://
connection string, or "env" to read it from NR_VAULT_PG (which keeps a database password off the
command line). The schema is --schema, else NR_VAULT_PG_SCHEMA, else nr_vault. Nothing is written
to the database.`;

export interface StoreFleet {
  /** The vault as the store holds it, its VSK checked. */
  vault: VaultRecord;
  targets: FleetTarget[];
  /** Registered runtimes that are not contacted: not approved, an entry that does not add up, no adminUrl. */
  skipped: { name: string; reason: string }[];
}

export interface StoreFleetOptions {
  connection: string;
  schema?: string;
  seenWithinMinutes?: number;
  credentials: AdminCredentials;
  vaultRef: string;
  vsk: Uint8Array;
  known: KnownRuntimes;
}

/**
 * The fleet a shared store knows, reduced to what a holder of the VSK can trust: runtimes whose
 * approval for this vault verifies with the vault's signing key, each pinned to its approved key.
 */
export async function fleetFromStore(io: CliIo, o: StoreFleetOptions): Promise<StoreFleet> {
  const connectionString = o.connection === 'env' ? io.env.NR_VAULT_PG : o.connection;
  if (!connectionString) throw new CliError('usage', '--from-store env needs NR_VAULT_PG to hold a connection string.');
  const schema = o.schema ?? io.env.NR_VAULT_PG_SCHEMA ?? undefined;
  // Read with one short connection: nothing is created in the database, nothing listens.
  const registry = await readStoreRegistry({ connectionString, ...(schema ? { schema } : {}) });
  const vault = findStoredVault(registry.vaults, o.vaultRef);
  wipe(openVaultKeyPair(o.vsk, vault).secretKey); // wrong_secret before anything else; a swapped record fails here too
  const checker = new ApprovalChecker(o.vsk, vault);
  const approvals = registry.approvals.filter((a) => a.vault === vault.id);
  // Most recently seen first, so that of two entries at one URL the current runtime wins.
  const runtimes = [...registry.runtimes].sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen));
  const cutoff = o.seenWithinMinutes === undefined ? undefined : Date.now() - o.seenWithinMinutes * 60_000;
  const targets: FleetTarget[] = [];
  const skipped: StoreFleet['skipped'] = [];
  for (const r of runtimes) {
    if (cutoff !== undefined && Date.parse(r.lastSeen) < cutoff) continue;
    const name = cleanRemoteText(r.name, 80) || '(no name)';
    const decided = decide(r, name, checker, approvals, o.known);
    if ('reason' in decided) {
      skipped.push({ name, reason: decided.reason });
    } else if (!targets.some((t) => t.base.href === decided.base.href)) {
      // An older entry at the same URL is a runtime that was replaced there.
      targets.push({ name, base: decided.base, credentials: o.credentials, expected: { fingerprint: decided.fingerprint, source: 'store_registry', id: r.id } });
    }
  }
  if (targets.length === 0 && skipped.length === 0) throw new CliError('usage', 'The store\'s registry lists no runtimes (seen recently enough).');
  return { vault, targets, skipped };
}

function decide(
  r: RuntimeRegistration, name: string, checker: ApprovalChecker, approvals: readonly unknown[], known: KnownRuntimes,
): { base: URL; fingerprint: string } | { reason: string } {
  const publicKey = fromB64(r.publicKey, 32);
  if (!publicKey) return { reason: 'not_approved: its registry entry holds no valid public key' };
  // The fingerprint shown is the one of the stored key, computed here: the stored one is only text.
  const fingerprint = runtimeFingerprint(publicKey);
  if (!checker.approves(approvals, { id: r.id, publicKey: r.publicKey })) {
    return { reason: `not_approved: no approval of this vault verifies for runtime ${cleanRemoteText(r.id, 64)} with fingerprint ${fingerprint}` };
  }
  if (!r.adminUrl) return { reason: 'unreachable: it registered no adminUrl (set vault.adminUrl in its settings.js)' };
  let base: URL;
  try {
    base = adminRootUrl(r.adminUrl);
  } catch {
    return { reason: 'unreachable: its registered adminUrl is not an http(s) URL' };
  }
  // A pin in known_runtimes wins over anything in the store: by its URL, and by its runtime id.
  const pinned = [known.find(base.href), ...known.entries().filter((k) => k.id === r.id)];
  const conflict = pinned.find((k) => k !== undefined && k.fingerprint !== fingerprint);
  if (conflict) {
    return { reason: `fingerprint_changed: ${known.path} pins ${conflict.url} (runtime ${conflict.id}) to fingerprint ${conflict.fingerprint}, the store shows ${fingerprint} for ${name}` };
  }
  return { base, fingerprint };
}

function findStoredVault(vaults: VaultRecord[], ref: string): VaultRecord {
  const byId = vaults.find((v) => v.id === ref);
  if (byId) return byId;
  const byName = vaults.filter((v) => v.name === ref);
  if (byName.length === 1 && byName[0]) return byName[0];
  if (byName.length > 1) throw new CliError('ambiguous_vault', `${byName.length} vaults in the store are named ${JSON.stringify(ref)}: ${byName.map((v) => v.id).join(', ')}.`);
  throw new CliError('unknown_vault', `The store has no vault with the id or name ${JSON.stringify(ref)}.`);
}
