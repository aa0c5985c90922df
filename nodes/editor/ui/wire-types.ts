// The admin API's answers as the editor reads them (PROTOCOL.md, admin/routes). They come from the
// runtime: trusted to have this shape, but every name and value in them is shown as text only.

export type FieldKind = 'plain' | 'secret';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  default?: string;
  runtimeWritten?: boolean;
  options?: string[];
}

export interface ConnectionType {
  name: string;
  label: string;
  icon: string;
  fields: FieldSpec[];
  openFields?: boolean;
}

export type ItemStatus = 'ready' | 'empty' | 'incomplete' | 'needs_reauth';

/** GET vault/vaults: the public vault record and whether it is unlocked on this runtime. */
export interface VaultInfo {
  id: string;
  name: string;
  share: string;
  publicKey: string;
  createdAt?: string;
  unlocked?: boolean;
}

/** The public record a new vault is created with (POST vault/vaults). */
export interface NewVaultRecord {
  id: string;
  name: string;
  share: string;
  publicKey: string;
}

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

export interface RuntimeInfo {
  id: string;
  name: string;
  publicKey: string;
  fingerprint: string;
  protocol: number;
}

export type SealedField = ReturnType<NrVaultCryptoModule['sealField']>;

/** PUT vault/vaults/:v/items/:i */
export interface ItemWrite {
  name: string;
  type: string;
  plain: Record<string, string>;
  secret: Record<string, SealedField | null>;
  ifVersion?: number;
}

/** A change the views redraw for: a vault (and an item of it), or everything when empty. */
export interface VaultChange {
  vault?: string;
  item?: string;
}
