// The admin API's bodies and answers as credentials/client types them (types only: the client
// itself is in the crypto bundle). Every name and value in them is shown as text only.
import type { ConnectionTypeInfo, VaultListing } from '../browser-crypto';

export type { ItemMetadata, ItemStatus, ItemWriteBody, NewVaultRecord } from '../browser-crypto';

export type ConnectionType = ConnectionTypeInfo;
export type FieldSpec = ConnectionTypeInfo['fields'][number];
export type FieldKind = FieldSpec['kind'];

/** GET vault/vaults: the public vault record and whether it is unlocked on this runtime. */
export type VaultInfo = VaultListing;

/** A change the views redraw for: a vault (and an item of it), or everything when empty. */
export interface VaultChange {
  vault?: string;
  item?: string;
}
