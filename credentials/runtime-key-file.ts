import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromB64, isValidId, newRuntimeKeys, publicKeyOf, toB64, type RuntimeKeys } from './crypto';
import { VaultError } from './errors';

interface KeyFile {
  format: 1;
  id: string;
  publicKey: string;
  secretKey: string;
  createdAt: string;
}

/**
 * The runtime's identity, made on first start and kept in the user directory, readable by its
 * owner only. A file that exists but cannot be read or checked stops the package: silently making
 * a new identity would make every pinned fingerprint fail and hide a tampered file.
 */
export function loadOrCreateRuntimeKeys(path: string): RuntimeKeys {
  if (!existsSync(path)) {
    const keys = newRuntimeKeys();
    const file: KeyFile = {
      format: 1, id: keys.id, publicKey: toB64(keys.publicKey), secretKey: toB64(keys.secretKey), createdAt: new Date().toISOString(),
    };
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
    return keys;
  }
  const bad = (why: string, cause?: unknown): VaultError =>
    new VaultError('key_file_invalid', `The runtime key file ${path} ${why}. Restore it from a backup, or delete it to make a new runtime identity (admins must then accept the new fingerprint).`, cause === undefined ? undefined : { cause });
  let parsed: Partial<KeyFile>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<KeyFile>;
  } catch (e) {
    throw bad('cannot be read or is not JSON', e);
  }
  const secretKey = fromB64(parsed.secretKey, 32);
  const publicKey = fromB64(parsed.publicKey, 32);
  if (parsed.format !== 1 || !isValidId(parsed.id) || !secretKey || !publicKey) {
    throw bad('is malformed');
  }
  if (toB64(publicKeyOf(secretKey)) !== parsed.publicKey) throw bad('holds a public key that does not match its secret key');
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600); // tighten a copy restored too openly
  return { id: parsed.id, publicKey, secretKey };
}
