/** The admin API's bodies and answers (PROTOCOL.md, "Vault and item HTTP API"), as the client sends and reads them. */
import type { SealedField } from '../crypto/field';

/** The public record a vault is created with (POST vault/vaults). */
export interface NewVaultRecord {
  id: string;
  name: string;
  share: string;
  publicKey: string;
}

/** GET vault/vaults: a vault record and whether it is unlocked on this runtime. */
export interface VaultListing extends NewVaultRecord {
  createdAt?: string;
  unlocked: boolean;
}

export type ItemStatus = 'ready' | 'empty' | 'incomplete' | 'needs_reauth';

/** An item's metadata: never a ciphertext, never a secret value. */
export interface ItemMetadata {
  id: string;
  name: string;
  type: string;
  plain: Record<string, string>;
  secretFields: string[];
  status: ItemStatus;
  version: number;
  updatedAt: string;
}

/** PUT vault/vaults/{v}/items/{i}: secret fields sealed, `null` removes one, one left out is kept. */
export interface ItemWriteBody {
  name: string;
  type: string;
  plain: Record<string, string>;
  secret: Record<string, SealedField | null>;
  ifVersion?: number;
}

/** GET vault/runtime, checked: protocol 1 and a fingerprint that is really its key's. */
export interface RuntimeIdentity {
  id: string;
  name: string;
  publicKey: Uint8Array;
  fingerprint: string;
  /** Whether Node-RED runs with adminAuth, and with the package's adminGuard (when it says). */
  adminAuth?: boolean;
  adminGuard?: boolean;
}

/** A connection type as GET vault/types lists it. */
export interface ConnectionTypeInfo {
  name: string;
  label: string;
  icon: string;
  fields: { name: string; label: string; kind: 'plain' | 'secret'; required?: boolean; default?: string; runtimeWritten?: boolean; options?: string[] }[];
  openFields?: boolean;
}
