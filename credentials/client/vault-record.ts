import { toB64 } from '../crypto/encoding';
import { newId } from '../crypto/ids';
import { deriveVaultKeyPair, newShare } from '../crypto/vault-keys';
import { formatVsk, newVsk } from '../crypto/vsk';
import { wipe } from '../crypto/wipe';
import type { NewVaultRecord } from './wire-types';

/** A new vault: its public record (to POST) and its Vault Secret Key (to show once, then forget). */
export interface NewVault {
  record: NewVaultRecord;
  /** The VSK in text form, `vsk1_…`. */
  vsk: string;
}

/**
 * Make a vault where the person is (browser or CLI): VSK, share and key pair here; only the
 * public record leaves. The key bytes are wiped; the text form is the caller's to show once.
 * `existingVsk`: a key the caller already holds (and wipes), for the same vault on runtimes that
 * do not share a store; the record still gets a share of its own.
 */
export function newVaultRecord(name: string, id = newId(), existingVsk?: Uint8Array): NewVault {
  const vsk = existingVsk ?? newVsk();
  const share = newShare();
  const keys = deriveVaultKeyPair(vsk, share, id);
  const record = { id, name, share: toB64(share), publicKey: toB64(keys.publicKey) };
  const text = formatVsk(vsk);
  wipe(keys.secretKey);
  if (!existingVsk) wipe(vsk);
  return { record, vsk: text };
}
