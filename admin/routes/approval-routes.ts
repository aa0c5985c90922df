import { Buffer } from 'node:buffer';
import { answerProofChallenge, assertId, checkApprovalShape, VaultError, type VaultRuntime } from '../../credentials';
import { badRequest } from './http-errors';
import type { AdminApp, Handler, Request, Response } from './http-types';
import { isObject } from './validate-item';

type Route = (fn: (rt: VaultRuntime, req: Request, res: Response) => Promise<void>) => Handler;

const SMALL_BODY_MAX = 1024;

function smallBody(req: Request, shape: string): Record<string, unknown> {
  const body = req.body;
  if (!isObject(body) || Buffer.byteLength(JSON.stringify(body)) > SMALL_BODY_MAX) {
    throw badRequest(`The body must be JSON ${shape} of at most 1 KiB.`);
  }
  return body;
}

/**
 * The runtime's identity, and its proof, answer without credentials: identity is public, and a
 * client checks both before it sends this runtime a password or a token (docs/protocol-notes.md).
 */
export function registerIdentityRoutes(app: AdminApp, route: Route, identity: (rt: VaultRuntime) => object): void {
  app.get('/vault/runtime', route(async (rt, _req, res) => res.json(identity(rt))));

  app.post('/vault/runtime/proof', route(async (rt, req, res) => {
    const body = smallBody(req, '{ "sealed": "<base64url>" }');
    res.json({ proof: answerProofChallenge(body.sealed, rt.keys) });
  }));
}

/**
 * Runtime approvals kept with the store's registry (PROTOCOL.md, "Runtime approvals"). Reading
 * them needs vault.read; writing and revoking vault.unlock. The signature is the real authority:
 * a reader that seals a VSK verifies it with the vault's signing key.
 */
export function registerApprovalRoutes(app: AdminApp, scopes: { read: Handler; unlock: Handler }, route: Route): void {
  app.get('/vault/vaults/:v/approvals', scopes.read, route(async (rt, req, res) => {
    const vault = assertId(req.params.v, 'vault id');
    if (!(await rt.store.getVault(vault))) throw new VaultError('unknown_vault', `There is no vault "${vault}".`);
    const runtimeParam = new URL(req.url ?? '/', 'http://x').searchParams.get('runtime');
    const runtime = runtimeParam === null ? undefined : assertId(runtimeParam, 'runtime id');
    res.json(await rt.approvals.list({ vault, ...(runtime === undefined ? {} : { runtime }) }));
  }));

  app.put('/vault/vaults/:v/approvals/:r', scopes.unlock, route(async (rt, req, res) => {
    const vault = assertId(req.params.v, 'vault id');
    const runtime = assertId(req.params.r, 'runtime id');
    const body = smallBody(req, '{ "publicKey", "sig" }');
    const { publicKey, sig } = checkApprovalShape(body.publicKey, body.sig);
    res.json(await rt.approvals.record(vault, runtime, publicKey, sig));
  }));

  app.delete('/vault/vaults/:v/approvals/:r', scopes.unlock, route(async (rt, req, res) => {
    const vault = assertId(req.params.v, 'vault id');
    const runtime = assertId(req.params.r, 'runtime id');
    await rt.approvals.revoke(vault, runtime);
    res.status(204).end();
  }));
}
