import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project root, from dist/test/helpers at run time. */
export const ROOT = join(__dirname, '..', '..', '..');

export interface Vectors {
  vaultKeypair: { vsk: string; share: string; vaultId: string; expectPublicKey: string; expectSecretKey: string };
  field: { vaultId: string; itemId: string; field: string; value: string; dk: string; nonce: string; expectCt: string; wrapped: string };
  fingerprint: { publicKey: string; expect: string };
  unlock: { runtimeSecretKey: string; runtimePublicKey: string; sealed: string; expectPayload: string };
  wrongSecret: { vsk: string };
  badSecretText: string[];
  destinationBinding: {
    type: string; vaultId: string; itemId: string; field: string; destination: Record<string, string>; expectBinding: string;
    value: string; dk: string; nonce: string; expectCt: string; wrapped: string; movedDestination: Record<string, string>;
    expectMovedBinding: string;
  };
}

export const vectors: Vectors = JSON.parse(readFileSync(join(ROOT, 'test', 'vectors', 'protocol-v1.json'), 'utf8')) as Vectors;
