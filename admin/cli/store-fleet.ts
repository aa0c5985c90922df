import { fromB64, readRuntimeRegistry, runtimeFingerprint } from '../../credentials';
import type { AdminCredentials } from './admin-auth';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import type { FleetTarget } from './fleet-file';
import { adminRootUrl } from './runtime-url';

export const FROM_STORE_HELP = `--from-store: the runtimes that registered with a shared PostgreSQL vault store. Each one is
contacted at the adminUrl it registered (vault.adminUrl in its settings.js) and must show the
fingerprint the registry holds for it. CONNECTION is a postgres:// connection string, or "env"
to read it from NR_VAULT_PG (which keeps a database password off the command line). The schema
is --schema, else NR_VAULT_PG_SCHEMA, else nr_vault. Nothing is written to the database.`;

export interface StoreFleet {
  targets: FleetTarget[];
  /** Registered runtimes that cannot be contacted (no adminUrl, a registry entry that does not add up). */
  skipped: { name: string; reason: string }[];
}

/** The fleet a shared store knows: its registry of runtimes, each pinned to the fingerprint it registered. */
export async function fleetFromStore(
  io: CliIo, connection: string, schemaOption: string | undefined, seenWithinMinutes: number | undefined, credentials: AdminCredentials,
): Promise<StoreFleet> {
  const connectionString = connection === 'env' ? io.env.NR_VAULT_PG : connection;
  if (!connectionString) throw new CliError('usage', '--from-store env needs NR_VAULT_PG to hold a connection string.');
  const schema = schemaOption ?? io.env.NR_VAULT_PG_SCHEMA ?? undefined;
  // Read with one short connection: nothing is created in the database, nothing listens.
  const registered = await readRuntimeRegistry({ connectionString, ...(schema ? { schema } : {}) });
  // Most recently seen first, so that of two entries at one URL the current runtime wins.
  const runtimes = [...registered].sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen));
  const cutoff = seenWithinMinutes === undefined ? undefined : Date.now() - seenWithinMinutes * 60_000;
  const targets: FleetTarget[] = [];
  const skipped: StoreFleet['skipped'] = [];
  for (const r of runtimes) {
    if (cutoff !== undefined && Date.parse(r.lastSeen) < cutoff) continue;
    const publicKey = fromB64(r.publicKey, 32);
    if (!publicKey || runtimeFingerprint(publicKey) !== r.fingerprint) {
      skipped.push({ name: r.name, reason: 'fingerprint_mismatch: its registry entry holds a fingerprint that is not its public key\'s' });
    } else if (!r.adminUrl) {
      skipped.push({ name: r.name, reason: 'unreachable: it registered no adminUrl (set vault.adminUrl in its settings.js)' });
    } else {
      try {
        const base = adminRootUrl(r.adminUrl);
        // Most recently seen first: an older entry at the same URL is a runtime that was replaced there.
        if (targets.some((t) => t.base.href === base.href)) continue;
        targets.push({ name: r.name, base, credentials, expected: { fingerprint: r.fingerprint, source: 'store_registry' } });
      } catch {
        skipped.push({ name: r.name, reason: 'unreachable: its registered adminUrl is not an http(s) URL' });
      }
    }
  }
  if (targets.length === 0 && skipped.length === 0) throw new CliError('usage', 'The store\'s registry lists no runtimes (seen recently enough).');
  return { targets, skipped };
}
