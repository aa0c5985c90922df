import { findAdminGuardCheck } from '../../admin/admin-guard';
import type { VaultRouteOptions } from '../../admin/routes';
import type { NodeRedApi } from '../shared/node-red';

let warned = false;

/** Node-RED's adminAuth setting is on (credentials or a strategy): the admin API asks who is calling. */
export function hasAdminAuth(RED: NodeRedApi): boolean {
  const a = RED.settings.adminAuth;
  return typeof a === 'object' && a !== null;
}

/**
 * The origins whose pages may call the vault API: `vault.allowedOrigins`, plus the origins an admin
 * gave Node-RED's own `httpAdminCors` by name (a string or a list; "*", true, patterns and functions
 * are not taken: they would let every site in).
 */
export function adminRouteOptions(RED: NodeRedApi): VaultRouteOptions {
  const vault = RED.settings.vault;
  const listed = typeof vault === 'object' && vault !== null ? (vault as { allowedOrigins?: unknown }).allowedOrigins : undefined;
  const cors = RED.settings.httpAdminCors;
  const corsOrigin = typeof cors === 'object' && cors !== null ? (cors as { origin?: unknown }).origin : undefined;
  const named = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((o): o is string => typeof o === 'string' && o !== '*');
  const allowedOrigins = [...named(listed), ...named(corsOrigin)];
  return { adminAuth: hasAdminAuth(RED), adminGuard: findAdminGuardCheck(RED.settings.httpAdminMiddleware) !== undefined, allowedOrigins };
}

/**
 * Without adminAuth, anyone who reaches the editor (a person on the network, or a web page through
 * Node-RED's own routes such as POST /flows) can deploy a flow that reads an unlocked vault. Said once
 * per process, at start.
 */
export function warnWithoutAdminAuth(RED: NodeRedApi): void {
  if (warned || hasAdminAuth(RED)) return;
  warned = true;
  RED.log.warn('nr-vault: Node-RED runs without adminAuth: anyone who can reach the editor, and any web page the user '
    + 'opens if Node-RED\'s own admin routes are not protected, can deploy a flow that reads an unlocked vault. '
    + 'Set adminAuth in settings.js (see the README, "Securing the editor").');
}
