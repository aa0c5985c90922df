import { fieldSpec, fromB64, getType, isOAuthType, quote, tokenEndpoint, type ItemWrite, type SealedField } from '../../credentials';
import { badRequest } from './http-errors';
import { MAX_FIELDS, MAX_NAME_CHARS as MAX_NAME, MAX_PLAIN_CHARS, MAX_SECRET_BYTES as MAX_CT_BYTES } from '../../credentials';

const WRAPPED_BYTES = 32 + 48; // a sealed 32-byte key: ephemeral public key + MAC
const NONCE_BYTES = 24;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkName(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_NAME) {
    throw badRequest(`The ${what} must be a non-empty text of at most ${MAX_NAME} characters.`);
  }
  return v;
}

function checkSealed(field: string, v: unknown): SealedField {
  if (!isObject(v)) throw badRequest(`secret.${field} must be null or { v: 2, wrapped, nonce, ct }.`);
  const ct = fromB64(v.ct);
  if (!ct || ct.length < 16 || ct.length > MAX_CT_BYTES + 16) throw badRequest(`secret.${field}.ct must be base64url of at most 64 KiB.`);
  if (!fromB64(v.wrapped, WRAPPED_BYTES)) throw badRequest(`secret.${field}.wrapped must be a base64url sealed key of ${WRAPPED_BYTES} bytes.`);
  if (!fromB64(v.nonce, NONCE_BYTES)) throw badRequest(`secret.${field}.nonce must be base64url of ${NONCE_BYTES} bytes.`);
  if (v.v !== 2) throw badRequest(`secret.${field} must be in field format 2 ({ "v": 2, wrapped, nonce, ct }), bound to the connection's destination.`);
  return { v: 2, wrapped: v.wrapped as string, nonce: v.nonce as string, ct: v.ct as string };
}

/** The shape checks of PUT vault/vaults/{v}/items/{i}: names from the type's table, sizes, encodings. */
export function parseItemWrite(body: unknown): ItemWrite {
  if (!isObject(body)) throw badRequest('The body must be a JSON object { name, type, plain, secret, ifVersion? }.');
  const name = checkName(body.name, 'item name');
  let type;
  try {
    type = getType(body.type);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  const plainIn = body.plain ?? {};
  const secretIn = body.secret ?? {};
  if (!isObject(plainIn)) throw badRequest('plain must be an object of text values.');
  if (!isObject(secretIn)) throw badRequest('secret must be an object of { wrapped, nonce, ct } or null values.');
  if (Object.keys(plainIn).length + Object.keys(secretIn).length > MAX_FIELDS) {
    throw badRequest(`An item has at most ${MAX_FIELDS} fields.`);
  }
  const plain: Record<string, string> = {};
  for (const [k, v] of Object.entries(plainIn)) {
    if (!fieldSpec(type, k, 'plain')) throw badRequest(`plain.${k.slice(0, 64)} is not a plain field of type "${type.name}".`);
    if (typeof v !== 'string' || v.length > MAX_PLAIN_CHARS) throw badRequest(`plain.${k} must be a text of at most 64 KiB.`);
    plain[k] = v;
  }
  const secret: Record<string, SealedField | null> = {};
  for (const [k, v] of Object.entries(secretIn)) {
    if (!fieldSpec(type, k, 'secret')) throw badRequest(`secret.${k.slice(0, 64)} is not a secret field of type "${type.name}".`);
    if (Object.prototype.hasOwnProperty.call(plain, k)) throw badRequest(`${k} cannot be both plain and secret.`);
    secret[k] = v === null ? null : checkSealed(k, v);
  }
  if (isOAuthType(type.name) && plain.tokenUrl) {
    try {
      tokenEndpoint(plain.tokenUrl);
    } catch (e) {
      throw badRequest(`plain.tokenUrl: ${(e as Error).message}`);
    }
  }
  const write: ItemWrite = { name, type: type.name, plain, secret };
  if (body.ifVersion !== undefined) {
    if (!Number.isSafeInteger(body.ifVersion) || (body.ifVersion as number) < 0) {
      throw badRequest(`ifVersion must be a whole number ≥ 0, not ${quote(body.ifVersion)}.`);
    }
    write.ifVersion = body.ifVersion as number;
  }
  return write;
}
