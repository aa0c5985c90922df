import { FIELD_NAME_PATTERN, ID_PATTERN, MAX_PLAIN_CHARS } from '../crypto/limits';
import { findType } from '../types';
import type { SealedField } from '../crypto/field';
import type { ItemRecord, RuntimeRegistration, VaultRecord } from './records';

/**
 * Everything a store reads back (a row, a file, a notification) is untrusted input: the store is
 * writable by an attacker. These readers check the shape of a stored record and copy only the
 * fields it defines, so a malformed record is reported and skipped instead of crashing a caller
 * or answering a whole list with 500. They check shapes and sizes only; whether a ciphertext
 * opens is for the keyring to find (`tampered`).
 */
export type Parsed<T> = { ok: true; record: T } | { ok: false; problem: string };

// Bounds on what is read back: somewhat above what the API accepts in a write (limits.ts), so that a
// record the runtime itself wrote (runtime-written fields, older releases) always passes.
const MAX_TEXT = 1_000;
const MAX_PLAIN_VALUE = MAX_PLAIN_CHARS;
const MAX_SEALED_PART = 256 * 1024;
const MAX_FIELDS = 128;
const FIELD_NAME = FIELD_NAME_PATTERN;

const bad = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isText(v: unknown, max = MAX_TEXT): v is string {
  return typeof v === 'string' && v.length <= max;
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

/** Own enumerable entries only: a stored map named "__proto__" or "constructor" is data, never a prototype. */
function entries(o: Record<string, unknown>): [string, unknown][] {
  return Object.keys(o).map((k) => [k, o[k]]);
}

export function parseVault(raw: unknown, expectedId?: string): Parsed<VaultRecord> {
  if (!isPlainObject(raw)) return bad('the record is not an object');
  const { id, name, share, publicKey, createdAt } = raw;
  if (!isId(id)) return bad('its id is not a valid id');
  if (expectedId !== undefined && id !== expectedId) return bad(`it is stored under the id "${expectedId}" but names itself another`);
  if (!isText(name) || !isText(share, 200) || !isText(publicKey, 200) || !isText(createdAt, 100)) {
    return bad('name, share, publicKey or createdAt is missing or not a short text');
  }
  return { ok: true, record: { id, name, share, publicKey, createdAt } };
}

function parseSealed(raw: unknown): SealedField | undefined {
  if (!isPlainObject(raw)) return undefined;
  const { v, wrapped, nonce, ct } = raw;
  if (!isText(wrapped, MAX_SEALED_PART) || !isText(nonce, MAX_SEALED_PART) || !isText(ct, MAX_SEALED_PART)) return undefined;
  if (v === undefined) return { wrapped, nonce, ct };
  if (v === 2) return { v: 2, wrapped, nonce, ct };
  return undefined; // a field format this runtime does not know
}

export function parseItem(raw: unknown, where: { vault: string; id?: string }): Parsed<ItemRecord> {
  if (!isPlainObject(raw)) return bad('the record is not an object');
  const { id, vault, name, type, plain, secret, version, updatedAt, state } = raw;
  if (!isId(id) || (where.id !== undefined && id !== where.id)) return bad('its id is not the id it is stored under');
  if (vault !== where.vault) return bad('it names another vault than the one it is stored in');
  if (!isText(name) || !isText(updatedAt, 100)) return bad('its name or updatedAt is missing or not a short text');
  if (typeof type !== 'string' || !findType(type)) return bad('its type is not a connection type this runtime knows');
  if (!Number.isSafeInteger(version) || (version as number) < 1) return bad('its version is not a whole number ≥ 1');
  if (state !== undefined && state !== null && state !== 'needs_reauth') return bad('its state is not one this runtime knows');
  if (!isPlainObject(plain) || !isPlainObject(secret)) return bad('plain or secret is not an object');
  const plainFields = entries(plain);
  const secretFields = entries(secret);
  if (plainFields.length + secretFields.length > MAX_FIELDS) return bad(`it has more than ${MAX_FIELDS} fields`);
  const outPlain: Record<string, string> = Object.create(null);
  for (const [k, v] of plainFields) {
    if (!FIELD_NAME.test(k) || !isText(v, MAX_PLAIN_VALUE)) return bad('a plain field has a bad name or is not a text of at most 64 KiB');
    outPlain[k] = v;
  }
  const outSecret: Record<string, SealedField> = Object.create(null);
  for (const [k, v] of secretFields) {
    const sealed = parseSealed(v);
    if (!FIELD_NAME.test(k) || !sealed) return bad('a secret field has a bad name or is not { wrapped, nonce, ct } (format 1) or { v: 2, … } (format 2)');
    outSecret[k] = sealed;
  }
  const record: ItemRecord = {
    id, vault: where.vault, name, type, plain: { ...outPlain }, secret: { ...outSecret }, version: version as number, updatedAt,
  };
  if (state === 'needs_reauth') record.state = state;
  return { ok: true, record };
}

export function parseRuntime(raw: unknown, expectedId?: string): Parsed<RuntimeRegistration> {
  if (!isPlainObject(raw)) return bad('the record is not an object');
  const { id, name, publicKey, fingerprint, adminUrl, lastSeen } = raw;
  if (!isId(id) || (expectedId !== undefined && id !== expectedId)) return bad('its id is not a valid id or not the id it is stored under');
  if (!isText(name) || !isText(publicKey, 200) || !isText(fingerprint, 200)) return bad('name, publicKey or fingerprint is missing or not a short text');
  if (adminUrl !== undefined && adminUrl !== null && !isText(adminUrl, 2_000)) return bad('adminUrl is not a text');
  const seen = lastSeen instanceof Date ? lastSeen : typeof lastSeen === 'string' ? new Date(lastSeen) : undefined;
  if (!seen || Number.isNaN(seen.getTime())) return bad('lastSeen is not a time');
  const record: RuntimeRegistration = { id, name, publicKey, fingerprint, lastSeen: seen.toISOString() };
  if (typeof adminUrl === 'string') record.adminUrl = adminUrl;
  return { ok: true, record };
}
