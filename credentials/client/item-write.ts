import { fromB64 } from '../crypto/encoding';
import { sealField, type SealedField } from '../crypto/field';
import { KEY_BYTES } from '../crypto/labels';
import { VaultError } from '../errors';
import type { ItemWriteBody } from './wire-types';

/** An item write as a person makes it: secret values in clear (`null` removes a field). */
export interface ItemInput {
  name: string;
  type: string;
  plain?: Record<string, string>;
  secret?: Record<string, string | null>;
  ifVersion?: number;
}

/** The vault an item is sealed to: its id and public key (base64url, as the API lists it, or bytes). */
export interface SealingVault {
  id: string;
  publicKey: string | Uint8Array;
}

/**
 * The body of PUT vault/vaults/{v}/items/{i}: every secret value sealed to the vault's public key
 * by credentials/crypto's field sealing in format 2, bound to this vault, item and field and to the
 * item's destination (its type and destination fields, as in `plain`). Needs no VSK.
 */
export function sealItemWrite(vault: SealingVault, itemId: string, item: ItemInput): ItemWriteBody {
  const publicKey = typeof vault.publicKey === 'string' ? fromB64(vault.publicKey, KEY_BYTES) : vault.publicKey;
  if (!publicKey || publicKey.length !== KEY_BYTES) {
    throw new VaultError('store_corrupt', `The record of vault "${vault.id}" has a malformed public key.`);
  }
  const secret: Record<string, SealedField | null> = {};
  for (const [field, value] of Object.entries(item.secret ?? {})) {
    const place = { vault: vault.id, item: itemId, field, type: item.type, plain: item.plain ?? {} };
    secret[field] = value === null ? null : sealField(publicKey, place, value);
  }
  return {
    name: item.name, type: item.type, plain: item.plain ?? {}, secret,
    ...(item.ifVersion === undefined ? {} : { ifVersion: item.ifVersion }),
  };
}
