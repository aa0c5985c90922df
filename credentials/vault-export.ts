import { signVaultExport, verifyVaultExport as verifyExportSignature } from './crypto/export-signature';
import { openVaultKeyPair } from './crypto/vault-keys';
import { vaultSigningKeysOf, vaultSigningPublicKey } from './crypto/vault-signing';
import { wipe } from './crypto/wipe';
import { VaultError, isVaultError } from './errors';
import { approvalFromStored } from './store/approval-record';
import { parseItem, parseVault } from './store/record-shapes';
import type { ItemRecord, ItemWrite, RuntimeApproval, VaultRecord } from './store/records';
import type { VaultStore } from './store/vault-store';

/**
 * One vault in one file (docs/protocol-notes.md, "Vault export"): its record, every item record
 * (ciphertext only) and its runtime approvals, signed with the vault signing key. Useless without
 * the VSK; a changed byte anywhere is refused by importVault.
 */
export interface VaultExport {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  vault: VaultRecord;
  items: ItemRecord[];
  approvals: RuntimeApproval[];
  /** base64url Ed25519 signature over label \0 || canonicalJson(everything else). */
  sig: string;
}

export const EXPORT_FORMAT = 'nr-vault-export';

/** What an import did: created vs already there (identical), per kind. */
export interface ImportResult {
  vault: VaultRecord;
  vaultCreated: boolean;
  itemsWritten: number;
  itemsIdentical: number;
  approvalsWritten: number;
  approvalsIdentical: number;
}

/**
 * JSON with the keys of every object sorted (JavaScript's default string order: UTF-16 code units),
 * no white space, strings and numbers as JSON.stringify writes them, array order kept, keys whose
 * value is undefined left out. The same value always gives the same text.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('canonicalJson: a value JSON cannot hold');
  return text;
}

/** The export of vault `vaultId` from `store`, signed. `wrong_secret` if the VSK is not this vault's. */
export async function exportVault(store: VaultStore, vaultId: string, vsk: Uint8Array, now = new Date()): Promise<VaultExport> {
  const vault = await store.getVault(vaultId);
  if (!vault) throw new VaultError('unknown_vault', `There is no vault "${vaultId}" in this store.`);
  wipe(openVaultKeyPair(vsk, vault).secretKey); // wrong_secret before anything is read or signed
  const items = (await store.listItems(vault.id)).sort(byId);
  const approvals = (await store.listApprovals({ vault: vault.id })).sort((a, b) => compare(a.runtime, b.runtime));
  const body: Omit<VaultExport, 'sig'> = { format: EXPORT_FORMAT, version: 1, exportedAt: now.toISOString(), vault, items, approvals };
  const keys = vaultSigningKeysOf(vsk, vault);
  try {
    return { ...body, sig: signVaultExport(keys.secretKey, canonicalJson(body)) };
  } finally {
    wipe(keys.secretKey);
  }
}

/**
 * Checks an export (parsed JSON, untrusted) against the VSK and returns its records: the VSK must
 * open the file's vault record (`wrong_secret`), and the signature derived from it must cover the
 * whole file (`tampered`). Nothing is written.
 */
export function checkVaultExport(file: unknown, vsk: Uint8Array): Pick<VaultExport, 'vault' | 'items' | 'approvals'> {
  if (typeof file !== 'object' || file === null || Array.isArray(file)) throw tampered('it is not a JSON object');
  const { sig, ...body } = file as Record<string, unknown>;
  if (body.format !== EXPORT_FORMAT || body.version !== 1) throw tampered(`it is not a version 1 "${EXPORT_FORMAT}" file`);
  const parsedVault = parseVault(body.vault);
  if (!parsedVault.ok) throw tampered(`its vault record is malformed (${parsedVault.problem})`);
  const vault = parsedVault.record;
  let signPublicKey: Uint8Array;
  try {
    wipe(openVaultKeyPair(vsk, vault).secretKey);
    signPublicKey = vaultSigningPublicKey(vsk, vault);
  } catch (e) {
    if (isVaultError(e, 'wrong_secret')) {
      throw new VaultError('wrong_secret', `That Vault Secret Key does not open vault "${vault.id}" of this export (or the file's vault record was changed).`);
    }
    if (isVaultError(e, 'store_corrupt')) throw tampered('its vault record has a malformed share or public key');
    throw e;
  }
  if (!verifyExportSignature(signPublicKey, canonicalJson(body), sig)) {
    throw tampered('its signature does not match its content');
  }
  // Signed by the holder of this VSK: the shapes are still checked, as for anything a store returns.
  if (!Array.isArray(body.items) || !Array.isArray(body.approvals)) throw tampered('items or approvals is not a list');
  const items = body.items.map((raw: unknown) => {
    const p = parseItem(raw, { vault: vault.id });
    if (!p.ok) throw tampered(`an item record is malformed (${p.problem})`);
    return p.record;
  });
  const approvals = body.approvals.map((raw: unknown) => {
    const a = approvalFromStored(raw);
    if (!a || a.vault !== vault.id) throw tampered('an approval is malformed or names another vault');
    return a;
  });
  if (new Set(items.map((i) => i.id)).size !== items.length) throw tampered('an item id appears twice');
  return { vault, items, approvals };
}

/**
 * Restores a verified export into `store`. Records already there must be identical (the vault
 * record exactly; an item's name, type, plain, secret and state; an approval's key and signature):
 * otherwise `conflict` and nothing is written. Items of the store that the file lacks are kept.
 */
export async function importVault(store: VaultStore, file: unknown, vsk: Uint8Array): Promise<ImportResult> {
  const { vault, items, approvals } = checkVaultExport(file, vsk);
  const existing = await store.getVault(vault.id);
  if (existing && canonicalJson(existing) !== canonicalJson(vault)) {
    throw conflict(`vault "${vault.id}" already exists in this store with a different record`);
  }
  const stored = new Map((existing ? await store.listItems(vault.id) : []).map((i) => [i.id, i]));
  const newItems: ItemRecord[] = [];
  for (const item of items) {
    const there = stored.get(item.id);
    if (!there) newItems.push(item);
    else if (canonicalJson(itemContent(there)) !== canonicalJson(itemContent(item))) {
      throw conflict(`item "${item.id}" of vault "${vault.id}" already exists in this store with a different content`);
    }
  }
  const storedApprovals = new Map((existing ? await store.listApprovals({ vault: vault.id }) : []).map((a) => [a.runtime, a]));
  const newApprovals: RuntimeApproval[] = [];
  for (const a of approvals) {
    const there = storedApprovals.get(a.runtime);
    if (!there) newApprovals.push(a);
    else if (there.publicKey !== a.publicKey || there.sig !== a.sig) {
      throw conflict(`the approval of runtime "${a.runtime}" for vault "${vault.id}" differs in this store`);
    }
  }
  if (!existing) await store.createVault(vault);
  for (const item of newItems) await store.putItem(vault.id, item.id, itemWrite(item));
  for (const a of newApprovals) await store.putApproval(a);
  return {
    vault, vaultCreated: !existing, itemsWritten: newItems.length, itemsIdentical: items.length - newItems.length,
    approvalsWritten: newApprovals.length, approvalsIdentical: approvals.length - newApprovals.length,
  };
}

/** What makes two item records the same item (version and updatedAt are the store's own counters). */
export function itemContent(i: ItemRecord): Omit<ItemWrite, 'ifVersion'> {
  return { name: i.name, type: i.type, plain: i.plain, secret: i.secret, state: i.state };
}

export function itemWrite(i: ItemRecord): ItemWrite {
  const w: ItemWrite = { name: i.name, type: i.type, plain: i.plain, secret: i.secret };
  if (i.state) w.state = i.state;
  return w;
}

function tampered(why: string): VaultError {
  return new VaultError('tampered', `This export was altered or is not an nr-vault export: ${why}. Nothing was imported.`);
}

function conflict(why: string): VaultError {
  return new VaultError('conflict', `Refused: ${why}. Nothing was imported; import into another store, or delete the differing records first.`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byId(a: { id: string }, b: { id: string }): number {
  return compare(a.id, b.id);
}
