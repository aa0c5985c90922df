import { createHash } from 'node:crypto';

/**
 * The 64-bit advisory-lock key of a name, as the decimal text of a signed bigint. A stable hash of
 * our own (first 8 bytes of SHA-256) rather than hashtext(): 64 bits make collisions negligible
 * and the value cannot change with the server's version. The schema is part of the key, so stores
 * on different schemas of one database never block each other.
 */
export function advisoryKey(schema: string, name: string): string {
  return createHash('sha256').update(`nr-vault/v1\0${schema}\0${name}`).digest().readBigInt64BE(0).toString();
}
