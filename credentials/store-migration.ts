import { textDigest } from './crypto/digest';
import { VaultError } from './errors';
import type { ItemRecord, RuntimeApproval, VaultRecord } from './store/records';
import type { VaultStore } from './store/vault-store';
import { canonicalJson, itemContent, itemWrite } from './vault-export';

/** What a migration copied and what it found already there (identical), with the digests it compared. */
export interface MigrationResult {
  vaults: { id: string; name: string; created: boolean; itemsWritten: number; itemsIdentical: number; approvalsWritten: number; approvalsIdentical: number }[];
  /** Records compared after the copy, each by the BLAKE2b-256 of its canonical JSON in both stores. */
  recordsVerified: number;
}

/** The digest of what makes a record that record (an item's version and updatedAt are the store's own counters). */
function vaultDigest(v: VaultRecord): string { return textDigest(canonicalJson(v)); }
function itemDigest(i: ItemRecord): string { return textDigest(canonicalJson({ id: i.id, vault: i.vault, ...itemContent(i) })); }
function approvalDigest(a: RuntimeApproval): string { return textDigest(canonicalJson({ vault: a.vault, runtime: a.runtime, publicKey: a.publicKey, sig: a.sig })); }

interface Snapshot {
  vault: VaultRecord;
  items: ItemRecord[];
  approvals: RuntimeApproval[];
}

async function snapshot(store: VaultStore, vault: VaultRecord): Promise<Snapshot> {
  return { vault, items: await store.listItems(vault.id), approvals: await store.listApprovals({ vault: vault.id }) };
}

/**
 * Copies every vault, item and approval of `from` into `to` as stored: nothing is decrypted, no
 * key is needed. A record already in `to` must be identical, else `conflict` before anything is
 * written. Afterwards every record of `from` is read back from `to` and compared by digest
 * (`store_corrupt` if one differs or is missing).
 */
export async function migrateStore(from: VaultStore, to: VaultStore): Promise<MigrationResult> {
  const sources = await Promise.all((await from.listVaults()).map((v) => snapshot(from, v)));
  const plans: { src: Snapshot; exists: boolean; items: ItemRecord[]; approvals: RuntimeApproval[] }[] = [];
  for (const src of sources) {
    const there = await to.getVault(src.vault.id);
    if (there && vaultDigest(there) !== vaultDigest(src.vault)) throw conflict(`vault "${src.vault.id}" exists in the target with a different record`);
    const dst = there ? await snapshot(to, there) : { items: [], approvals: [] };
    const dstItems = new Map(dst.items.map((i) => [i.id, itemDigest(i)]));
    const dstApprovals = new Map(dst.approvals.map((a) => [a.runtime, approvalDigest(a)]));
    const items: ItemRecord[] = [];
    for (const i of src.items) {
      const d = dstItems.get(i.id);
      if (d === undefined) items.push(i);
      else if (d !== itemDigest(i)) throw conflict(`item "${i.id}" of vault "${i.vault}" exists in the target with a different content`);
    }
    const approvals: RuntimeApproval[] = [];
    for (const a of src.approvals) {
      const d = dstApprovals.get(a.runtime);
      if (d === undefined) approvals.push(a);
      else if (d !== approvalDigest(a)) throw conflict(`the approval of runtime "${a.runtime}" for vault "${a.vault}" differs in the target`);
    }
    plans.push({ src, exists: !!there, items, approvals });
  }
  for (const p of plans) {
    if (!p.exists) await to.createVault(p.src.vault);
    for (const i of p.items) await to.putItem(i.vault, i.id, itemWrite(i));
    for (const a of p.approvals) await to.putApproval(a);
  }
  return { vaults: plans.map(summary), recordsVerified: await verifyCopy(sources, to) };
}

/** Every source record, read back from the target, has the same digest. Returns how many were compared. */
async function verifyCopy(sources: Snapshot[], to: VaultStore): Promise<number> {
  let n = 0;
  for (const src of sources) {
    const vault = await to.getVault(src.vault.id);
    if (!vault || vaultDigest(vault) !== vaultDigest(src.vault)) throw unverified(`vault "${src.vault.id}"`);
    const copy = await snapshot(to, vault);
    const items = new Map(copy.items.map((i) => [i.id, itemDigest(i)]));
    const approvals = new Map(copy.approvals.map((a) => [a.runtime, approvalDigest(a)]));
    for (const i of src.items) if (items.get(i.id) !== itemDigest(i)) throw unverified(`item "${i.id}" of vault "${i.vault}"`);
    for (const a of src.approvals) if (approvals.get(a.runtime) !== approvalDigest(a)) throw unverified(`the approval of runtime "${a.runtime}" for vault "${a.vault}"`);
    n += 1 + src.items.length + src.approvals.length;
  }
  return n;
}

function summary(p: { src: Snapshot; exists: boolean; items: ItemRecord[]; approvals: RuntimeApproval[] }): MigrationResult['vaults'][number] {
  return {
    id: p.src.vault.id, name: p.src.vault.name, created: !p.exists,
    itemsWritten: p.items.length, itemsIdentical: p.src.items.length - p.items.length,
    approvalsWritten: p.approvals.length, approvalsIdentical: p.src.approvals.length - p.approvals.length,
  };
}

function conflict(why: string): VaultError {
  return new VaultError('conflict', `Refused: ${why}. Nothing was copied; migrate into an empty store, or delete the differing records first.`);
}

function unverified(what: string): VaultError {
  return new VaultError('store_corrupt', `The copy of ${what} in the target does not match the source after writing: check the target store before using it.`);
}
