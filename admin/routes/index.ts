import { Buffer } from 'node:buffer';
import {
  assertId, CONNECTION_TYPES, fromB64, getType, itemStatus, VaultError, type ItemRecord, type VaultRuntime,
} from '../../credentials';
import type { OriginPolicy } from '../request-origin';
import { registerApprovalRoutes, registerIdentityRoutes } from './approval-routes';
import { guardedApp, refuseCrossSite } from './cross-site';
import { badRequest, sendError } from './http-errors';
import type { AdminApp, AdminAuth, Handler, Request, Response } from './http-types';
import { requireScope } from './scopes';
import { checkName, isObject, parseItemWrite } from './validate-item';
import { UNLOCK_BODY_MAX_BYTES as UNLOCK_BODY_MAX } from '../../credentials';

export type { AdminApp, AdminAuth } from './http-types';

export interface VaultRouteOptions extends OriginPolicy {
  /** Whether Node-RED runs with adminAuth: shown in GET vault/runtime so the Vault page can warn. */
  adminAuth?: boolean;
  /** Whether settings.js puts adminGuard() in httpAdminMiddleware (as `npm start` does). */
  adminGuard?: boolean;
  /** The `${vault:…}` references of the deployed flows (ids and property paths only), for GET vault/references. */
  references?: () => unknown[];
}

/** Item metadata as the API shows it: never a ciphertext. */
export function itemMetadata(item: ItemRecord) {
  const type = getType(item.type);
  const secretFields = Object.keys(item.secret);
  return {
    id: item.id, name: item.name, type: item.type, plain: item.plain, secretFields,
    status: itemStatus(type, item.plain, secretFields, item.state), version: item.version, updatedAt: item.updatedAt,
  };
}

/**
 * The admin HTTP API of PROTOCOL.md, on Node-RED's httpAdmin behind adminAuth scopes.
 * `runtime` resolves once the vault runtime has started (store open, keys loaded).
 */
export function registerVaultRoutes(
  adminApp: AdminApp,
  auth: AdminAuth,
  runtime: () => Promise<VaultRuntime>,
  log: (m: string) => void = () => undefined,
  options: VaultRouteOptions = {},
): void {
  // Every route first refuses requests from other sites' pages (cross-site.ts).
  const app = guardedApp(adminApp, refuseCrossSite({ allowedOrigins: options.allowedOrigins }, log));
  const read = requireScope(auth, 'vault.read');
  const write = requireScope(auth, 'vault.write');
  const unlock = requireScope(auth, 'vault.unlock');

  const route = (fn: (rt: VaultRuntime, req: Request, res: Response) => Promise<void>): Handler => (req, res) => {
    runtime()
      .then((rt) => fn(rt, req, res))
      .catch((e: unknown) => sendError(res, e, log));
  };

  // sharedStore: other runtimes may use this store, so an editor checks this runtime's approval before it unlocks.
  registerIdentityRoutes(app, route, (rt) => ({ ...rt.info, adminAuth: options.adminAuth === true, adminGuard: options.adminGuard === true, sharedStore: rt.settings.store?.type === 'postgres' }));

  app.get('/vault/types', read, route(async (_rt, _req, res) => res.json(CONNECTION_TYPES)));

  // Which deployed node references which connection field (the editor cannot see a reference in
  // a password field it did not type itself). Ids and paths only.
  app.get('/vault/references', read, route(async (_rt, _req, res) => res.json(options.references?.() ?? [])));

  // Who waits for a locked vault now: nodes holding messages (with how many) and nodes whose vault
  // reference has no value yet. An editor asks on start and after every change, so its unlock
  // offer survives a reload and goes quiet once nothing waits. Ids and counts only.
  app.get('/vault/unlock-requests', read, route(async (rt, _req, res) => {
    const seen = new Set<string>();
    const fromReferences: { vault: string; node: string; waiting: 0; reference: true }[] = [];
    for (const r of options.references?.() ?? []) {
      if (!isObject(r) || r.waiting !== 'locked' || typeof r.vault !== 'string' || typeof r.node !== 'string') continue;
      const key = `${r.vault}\0${r.node}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fromReferences.push({ vault: r.vault, node: r.node, waiting: 0, reference: true });
    }
    res.json([...rt.waiting().filter((w) => !rt.keyring.isUnlocked(w.vault)), ...fromReferences]);
  }));

  app.get('/vault/vaults', read, route(async (rt, _req, res) => {
    const vaults = await rt.store.listVaults();
    // `tampered`: unlocked here, and the stored record is not the one the VSK derives (a swapped key).
    res.json(vaults.map((v) => ({ ...v, unlocked: rt.keyring.isUnlocked(v.id), ...(rt.keyring.isRecordTampered(v) ? { tampered: true } : {}) })));
  }));

  app.post('/vault/vaults', write, route(async (rt, req, res) => {
    const body = req.body;
    if (!isObject(body)) throw badRequest('The body must be a vault record { id, name, share, publicKey }.');
    const id = assertId(body.id, 'vault id');
    const name = checkName(body.name, 'vault name');
    if (!fromB64(body.share, 32)) throw badRequest('share must be base64url of 32 bytes.');
    if (!fromB64(body.publicKey, 32)) throw badRequest('publicKey must be base64url of 32 bytes.');
    const record = await rt.store.createVault({
      id, name, share: body.share as string, publicKey: body.publicKey as string, createdAt: new Date().toISOString(),
    });
    res.status(201).json(record);
  }));

  app.get('/vault/vaults/:v/items', read, route(async (rt, req, res) => {
    const vault = assertId(req.params.v, 'vault id');
    res.json((await rt.store.listItems(vault)).map(itemMetadata));
  }));

  app.put('/vault/vaults/:v/items/:i', write, route(async (rt, req, res) => {
    const vault = assertId(req.params.v, 'vault id');
    const item = assertId(req.params.i, 'item id');
    const change = parseItemWrite(req.body);
    res.json(itemMetadata(await rt.writeItem(vault, item, change)));
  }));

  app.delete('/vault/vaults/:v/items/:i', write, route(async (rt, req, res) => {
    const vault = assertId(req.params.v, 'vault id');
    const item = assertId(req.params.i, 'item id');
    if (!(await rt.store.getVault(vault))) throw new VaultError('unknown_vault', `There is no vault "${vault}".`);
    await rt.store.deleteItem(vault, item);
    res.status(204).end();
  }));

  app.post('/vault/vaults/:v/unlock', unlock, route(async (rt, req, res) => {
    const body = req.body;
    // Row 1 of the unlock table: JSON with a `sealed` string, at most 4 KiB.
    if (!isObject(body) || typeof body.sealed !== 'string' || Buffer.byteLength(JSON.stringify(body)) > UNLOCK_BODY_MAX) {
      throw badRequest('The body must be JSON { "sealed": "<base64url>" } of at most 4 KiB.');
    }
    const vault = assertId(req.params.v, 'vault id');
    await rt.keyring.unlockSealed(vault, body.sealed);
    res.json({ vault, unlocked: true });
  }));

  // Delete a vault with its connections and approvals, for every runtime on this store. Locked here
  // first, so no copy of its key or values stays in memory. The editor asks first, saying how many
  // nodes use it and how many connections it holds.
  app.delete('/vault/vaults/:v', write, route(async (rt, req, res) => {
    const vault = assertId(req.params.v, 'vault id');
    if (!(await rt.store.getVault(vault))) throw new VaultError('unknown_vault', `There is no vault "${vault}".`);
    rt.keyring.lock(vault);
    await rt.store.deleteVault(vault);
    res.json({ vault, deleted: true });
  }));

  app.post('/vault/vaults/:v/lock', unlock, route(async (rt, req, res) => {
    const vault = assertId(req.params.v, 'vault id');
    if (!(await rt.store.getVault(vault))) throw new VaultError('unknown_vault', `There is no vault "${vault}".`);
    rt.keyring.lock(vault);
    res.json({ vault, unlocked: false });
  }));

  registerApprovalRoutes(app, { read, unlock }, route);

  // A body that is not JSON never reaches the routes: answer it in the protocol's shape too.
  app.use('/vault', (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status;
    if (status === 413) return sendError(res, badRequest('The request body is too large.'));
    if (status && status >= 400 && status < 500) return sendError(res, badRequest('The request body is not valid JSON.'));
    sendError(res, err, log);
  });
}
