// When a node needs a locked vault while an editor is open, the runtime says so on RED.comms
// ('vault/unlock-needed' { vault, name, node }); we offer to unlock right here, with the same
// sealed flow as the Vault page. One notification per vault at a time: a node that keeps asking
// (every message while locked) does not stack popups.
import { el } from './dom.js';
import { state } from './state.js';
import { nodeLabel } from './usage.js';
import { unlockDialog } from './vault-dialogs.js';

const open = new Map(); // vault id → notification
const dismissedAt = new Map(); // vault id → time the person said "not now"
const QUIET_AFTER_DISMISS_MS = 60 * 1000;

export function listenForUnlockRequests() {
  RED.comms.subscribe('vault/unlock-needed', (_topic, msg) => {
    if (msg && typeof msg.vault === 'string') offerUnlock(msg);
  });
  // Unlocked from anywhere (the Vault page, the CLI, another editor): the offer is moot.
  state.onChange((c) => {
    if (!c.vault || !open.has(c.vault)) return;
    state.vault(c.vault).then((v) => { if (v && v.unlocked) closeOffer(c.vault); }, () => undefined);
  });
}

function closeOffer(vaultId) {
  const n = open.get(vaultId);
  open.delete(vaultId);
  if (n) n.close();
}

async function offerUnlock(msg) {
  if (open.has(msg.vault)) return;
  const quietUntil = (dismissedAt.get(msg.vault) || 0) + QUIET_AFTER_DISMISS_MS;
  if (Date.now() < quietUntil) return;
  open.set(msg.vault, null); // reserve: the look-ups below are async
  let vault;
  try {
    vault = await state.vault(msg.vault);
  } catch {
    vault = undefined;
  }
  if (!vault || vault.unlocked) {
    open.delete(msg.vault);
    return;
  }
  const node = typeof msg.node === 'string' ? RED.nodes.node(msg.node) : null;
  const who = node ? nodeLabel(node) : 'A node';
  const body = el('div', { class: 'nr-vault-unlock-offer', 'data-vault': vault.id },
    el('p', {}, el('i', { class: 'fa fa-lock' }), ' ', el('strong', {}, who), ' needs the vault ', el('strong', { class: 'nr-vault-name' }, vault.name || msg.name || vault.id), ', which is locked on this runtime.'));
  const notification = RED.notify(body, {
    type: 'warning',
    fixed: true,
    buttons: [
      { text: 'Not now', click: () => { dismissedAt.set(vault.id, Date.now()); closeOffer(vault.id); } },
      {
        text: 'Unlock', class: 'primary', id: 'nr-vault-popup-unlock',
        click: () => {
          closeOffer(vault.id);
          unlockDialog(vault, { context: `${who} is waiting for it.` });
        },
      },
    ],
  });
  open.set(vault.id, notification);
}
