import { homedir } from 'node:os';
import { join } from 'node:path';
import { VaultRuntime, startConsolePrompt, type VaultSettings } from '../../credentials';
import { registerVaultRoutes } from '../../admin/routes';
import { adminRouteOptions, warnWithoutAdminAuth } from './admin-auth-warning';
import { guardCommsUpgrades } from './comms-guard';
import type { NodeRedApi } from '../shared/node-red';
import type { NodeRedWithAdmin } from './node-red-admin';
import { vaultReferencesOf } from './vault-references';

/**
 * One VaultRuntime per user directory in this process, started on first use by any of the
 * package's nodes (or its editor plugin). Node-RED may hand each node module its own RED object
 * (and the test helper a new admin app per test), so routes are registered once per admin app.
 */
const runtimes = new Map<string, Promise<VaultRuntime>>();
const appsWithRoutes = new WeakSet<object>();
const wired = new WeakSet<object>();

export function vaultSettings(RED: NodeRedApi): VaultSettings {
  const v = RED.settings.vault;
  return typeof v === 'object' && v !== null ? (v as VaultSettings) : {};
}

function userDirOf(RED: NodeRedApi): string {
  return RED.settings.userDir ?? join(homedir(), '.node-red');
}

export function vaultRuntime(RED: NodeRedApi): Promise<VaultRuntime> {
  const userDir = userDirOf(RED);
  let started = runtimes.get(userDir);
  if (!started) {
    started = VaultRuntime.start(userDir, vaultSettings(RED), { warn: (m) => RED.log.warn(m) });
    runtimes.set(userDir, started);
    started.catch((e: unknown) => {
      runtimes.delete(userDir);
      RED.log.error(`nr-vault: the vault could not start: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
  return started;
}

/** Start the runtime for this RED, add the admin routes and relay events to the editor (once). */
export function attachVault(RED: NodeRedWithAdmin): Promise<VaultRuntime> {
  const started = vaultRuntime(RED);
  if (RED.httpAdmin && !appsWithRoutes.has(RED.httpAdmin)) {
    appsWithRoutes.add(RED.httpAdmin);
    registerVaultRoutes(RED.httpAdmin, RED.auth, () => vaultRuntime(RED), (m) => RED.log.warn(m), {
      ...adminRouteOptions(RED),
      references: () => vaultReferencesOf(RED)?.list() ?? [],
    });
    warnWithoutAdminAuth(RED);
    guardCommsUpgrades(RED);
  }
  void started.then((rt) => {
    if (wired.has(rt)) return;
    wired.add(rt);
    // What an admin compares before approving this runtime for a vault (nr-vault approve, the Vault page).
    RED.log.info(`nr-vault: runtime "${rt.info.name}" (id ${rt.info.id}), key fingerprint ${rt.info.fingerprint}`);
    // Ids and names only: an event never carries a value.
    rt.on('changed', (c) => RED.comms.publish('vault/changed', c.item === undefined ? { vault: c.vault } : { vault: c.vault, item: c.item }, false));
    rt.on('unlock-needed', (u) => RED.comms.publish('vault/unlock-needed', { vault: u.vault, name: u.name, node: u.node }, false));
    // The current count per node (0 when released, timed out or stopped): editors keep their unlock offers true.
    rt.on('waiting', (w) => RED.comms.publish('vault/waiting', { vault: w.vault, node: w.node, waiting: w.waiting }, false));
    // settings.vault.prompt === "console" and a terminal on stdin: ask for a locked vault's key there.
    startConsolePrompt(rt, { warn: (m) => RED.log.warn(m) });
    // Token refreshes: ids, codes and messages that never carry a token or secret.
    rt.tokens.on('refreshed', (r) => RED.log.debug(`nr-vault: refreshed the access token of connection ${r.item} (vault ${r.vault}), valid until ${new Date(r.expiresAt).toISOString()}`));
    rt.tokens.on('failed', (f) => RED.log.warn(`nr-vault: token refresh of connection ${f.item} (vault ${f.vault}) failed (${f.code}): ${f.message}${f.usingCurrent ? ' The current token is used meanwhile.' : ''}`));
  }, () => undefined);
  return started;
}

/** The runtime already started for a user directory (tests, benchmarks). */
export function runningVaultRuntime(userDir: string): Promise<VaultRuntime> {
  const started = runtimes.get(userDir);
  if (!started) throw new Error(`no vault runtime was started for ${userDir}`);
  return started;
}

/** For tests: stop every runtime of this process (locks every vault, closes the stores). */
export async function stopAllVaultRuntimes(): Promise<void> {
  const all = [...runtimes.values()];
  runtimes.clear();
  for (const p of all) {
    try {
      await (await p).close();
    } catch {
      // it never started
    }
  }
}
