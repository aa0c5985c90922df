// When a node needs a locked vault while an editor is open, the runtime says so on RED.comms
// ('vault/unlock-needed' { vault, name, node }); we offer to unlock right here, with the same
// sealed flow as the Vault page. One notification per vault at a time: a node that keeps asking
// (every message while locked) does not stack popups.
import { el } from './dom';
import { state } from './state';
import { nodeLabel } from './usage';
import { unlockDialog } from './vault-dialogs';
import type { VaultInfo } from './wire-types';

interface UnlockNeeded {
  vault: string;
  name?: string;
  node?: string;
}

const open = new Map<string, RedNotification | null>(); // vault id → notification (null: being opened)
const dismissedAt = new Map<string, number>(); // vault id → time the person said "not now"
const QUIET_AFTER_DISMISS_MS = 60 * 1000;

function asUnlockNeeded(msg: unknown): UnlockNeeded | undefined {
  if (!msg || typeof msg !== 'object') return undefined;
  const { vault, name, node } = msg as Record<string, unknown>;
  if (typeof vault !== 'string') return undefined;
  return { vault, name: typeof name === 'string' ? name : undefined, node: typeof node === 'string' ? node : undefined };
}

export function listenForUnlockRequests(): void {
  RED.comms.subscribe('vault/unlock-needed', (_topic, msg) => {
    const need = asUnlockNeeded(msg);
    if (need) void offerUnlock(need);
  });
  // Unlocked from anywhere (the Vault page, the CLI, another editor): the offer is moot.
  state.onChange((c) => {
    const id = c.vault;
    if (!id || !open.has(id)) return;
    state.vault(id).then((v) => { if (v && v.unlocked) closeOffer(id); }, () => undefined);
  });
}

function closeOffer(vaultId: string): void {
  const n = open.get(vaultId);
  open.delete(vaultId);
  if (n) n.close();
}

async function offerUnlock(msg: UnlockNeeded): Promise<void> {
  if (open.has(msg.vault)) return;
  const quietUntil = (dismissedAt.get(msg.vault) || 0) + QUIET_AFTER_DISMISS_MS;
  if (Date.now() < quietUntil) return;
  open.set(msg.vault, null); // reserve: the look-ups below are async
  let vault: VaultInfo | undefined;
  try {
    vault = await state.vault(msg.vault);
  } catch {
    vault = undefined;
  }
  if (!vault || vault.unlocked) {
    open.delete(msg.vault);
    return;
  }
  const theVault = vault;
  const node = msg.node ? RED.nodes.node(msg.node) : null;
  const who = node ? nodeLabel(node) : 'A node';
  const body = el('div', { class: 'nr-vault-unlock-offer', 'data-vault': theVault.id },
    el('p', {}, el('i', { class: 'fa fa-lock' }), ' ', el('strong', {}, who), ' needs the vault ', el('strong', { class: 'nr-vault-name' }, theVault.name || msg.name || theVault.id), ', which is locked on this runtime.'));
  const notification = RED.notify(body, {
    type: 'warning',
    fixed: true,
    buttons: [
      { text: 'Not now', click: () => { dismissedAt.set(theVault.id, Date.now()); closeOffer(theVault.id); } },
      {
        text: 'Unlock', class: 'primary', id: 'nr-vault-popup-unlock',
        click: () => {
          closeOffer(theVault.id);
          unlockDialog(theVault, { context: `${who} is waiting for it.` });
        },
      },
    ],
  });
  open.set(theVault.id, notification);
}
