import { Keyring, deriveVaultKeyPair, formatVsk, newId, newRuntimeKeys, newShare, newVsk, sealField, signApproval, toB64, wipe, type VaultStore } from '../../credentials';

// Canaries: neither may appear in an export file or in anything the CLI prints.
export const PASSWORD = 'canary-db-password-7f3a9c';
export const API_KEY = 'canary-api-key-51be02';

export interface Fixture {
  vaultId: string;
  vsk: string;
}

/** A vault with two items (secrets sealed in field format 2) and one runtime approval. */
export async function fillStore(store: VaultStore): Promise<Fixture> {
  const vaultId = newId();
  const key = newVsk();
  const share = newShare();
  const kp = deriveVaultKeyPair(key, share, vaultId);
  wipe(kp.secretKey);
  const vault = { id: vaultId, name: 'Plant A', share: toB64(share), publicKey: toB64(kp.publicKey), createdAt: new Date().toISOString() };
  await store.createVault(vault);
  const dbPlain = { host: 'db.example', port: '5432', username: 'app' };
  await store.putItem(vaultId, 'db', {
    name: 'Database', type: 'database', plain: dbPlain,
    secret: { password: sealField(kp.publicKey, { vault: vaultId, item: 'db', field: 'password', type: 'database', plain: dbPlain }, PASSWORD) },
  });
  await store.putItem(vaultId, 'api', {
    name: 'API', type: 'custom', plain: { url: 'https://api.example' },
    secret: { key: sealField(kp.publicKey, { vault: vaultId, item: 'api', field: 'key', type: 'custom', plain: { url: 'https://api.example' } }, API_KEY) },
  });
  const runtime = newRuntimeKeys();
  await store.putApproval({ ...signApproval(key, vault, runtime), approvedAt: new Date().toISOString() });
  return { vaultId, vsk: formatVsk(key) };
}

/** Unlock the vault in `store` with a keyring and read both secrets back. */
export async function readBack(store: VaultStore, f: Fixture): Promise<Record<string, string>> {
  const keyring = new Keyring(store, newRuntimeKeys());
  try {
    await keyring.unlock(f.vaultId, f.vsk);
    const db = await keyring.getItem(f.vaultId, 'db');
    const api = await keyring.getItem(f.vaultId, 'api');
    return { password: db.fields.password ?? '', key: api.fields.key ?? '', host: db.fields.host ?? '' };
  } finally {
    keyring.close();
  }
}

