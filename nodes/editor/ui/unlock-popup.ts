// When nodes need a locked vault, the editor offers to unlock it right here (the same sealed flow
// as the Vault page). What waits comes from the runtime (waiting.ts): asked when the editor starts
// and on every change, so a reload keeps the offer, and the offer stops saying a node waits once
// nothing does. One notification per vault. The offer names the runtime the key will be sealed to
// (name, fingerprint) and marks every text that came from a flow as a node's name: a node named
// "approved by ops" cannot pass for the editor's own words.
import { el, clear } from './dom';
import { state } from './state';
import { runtimeLine } from './this-runtime';
import { nodeLabel } from './usage';
import { unlockDialog } from './vault-dialogs';
import { waiting, type WaitingNode } from './waiting';
import type { VaultInfo } from './wire-types';

interface Offer {
  notification: RedNotification | null; // null: being opened
  /** Where the list of who waits is shown (the notification's, then the unlock dialog's); redrawn on every change. */
  who: HTMLElement[];
  /** Nodes that asked by a one-off event (a node set to fail at once when locked). */
  asked: Set<string>;
}

const offers = new Map<string, Offer>(); // vault id → its open offer
const QUIET_AFTER_DISMISS_MS = 60 * 1000;

function asUnlockNeeded(msg: unknown): { vault: string; node?: string } | undefined {
  if (!msg || typeof msg !== 'object') return undefined;
  const { vault, node } = msg as Record<string, unknown>;
  if (typeof vault !== 'string') return undefined;
  return { vault, node: typeof node === 'string' ? node : undefined };
}

export function listenForUnlockRequests(): void {
  RED.comms.subscribe('vault/unlock-needed', (_topic, msg) => {
    const need = asUnlockNeeded(msg);
    void waiting.refresh().then(() => { if (need) void showOffers(need); });
  });
  RED.comms.subscribe('vault/waiting', () => void waiting.refresh());
  state.onChange(() => void waiting.refresh());
  waiting.onChange(() => void showOffers());
  // Node names are known once the flows are loaded (an offer drawn before names nodes by id).
  RED.events?.on?.('flows:loaded', () => void waiting.refresh());
  void waiting.refresh();
}

/** A node's name as the flow gave it, marked as such (text only). */
function nodeName(id: string): HTMLElement {
  const node = RED.nodes.node(id);
  const label = node ? nodeLabel(node) : `a node (${id})`;
  return el('span', { class: 'nr-vault-from-node', title: 'The name a flow gave this node' },
    'node named “', el('span', { class: 'nr-vault-node-name' }, label), '”');
}

function whoList(nodes: WaitingNode[], asked: Set<string>): HTMLElement {
  const lines: HTMLElement[] = nodes.map((w) => el('li', { 'data-node': w.node }, nodeName(w.node),
    w.reference ? ' waits for a value from it' : ` has ${w.waiting} message${w.waiting === 1 ? '' : 's'} waiting`));
  for (const id of asked) {
    if (!nodes.some((w) => w.node === id)) lines.push(el('li', { 'data-node': id, class: 'nr-vault-not-waiting' }, nodeName(id), ' needed it; nothing of it is waiting now'));
  }
  if (lines.length === 0) return el('p', { class: 'nr-vault-not-waiting' }, 'No node is waiting for it any more (the messages timed out or went on).');
  return el('ul', { class: 'nr-vault-waiting-nodes' }, lines);
}

function redrawWho(offer: Offer, vault: VaultInfo): void {
  const nodes = waiting.forVault(vault);
  for (const holder of offer.who) clear(holder).appendChild(whoList(nodes, offer.asked));
}

async function showOffers(need?: { vault: string; node?: string }): Promise<void> {
  let vaults: VaultInfo[];
  try {
    vaults = await state.vaults();
  } catch {
    return;
  }
  for (const vault of vaults) {
    const offer = offers.get(vault.id);
    if (vault.unlocked) {
      if (offer) closeOffer(vault.id);
      continue;
    }
    const asking = need && (need.vault === vault.id || need.vault === vault.name) ? need : undefined;
    if (offer) {
      if (asking?.node) offer.asked.add(asking.node);
      redrawWho(offer, vault);
      continue;
    }
    if (waiting.forVault(vault).length === 0 && !asking) continue;
    const quietUntil = (waiting.putOffAt(vault.id) || 0) + QUIET_AFTER_DISMISS_MS;
    if (Date.now() < quietUntil) continue;
    openOffer(vault, asking?.node);
  }
}

function openOffer(vault: VaultInfo, askedBy?: string): void {
  const offer: Offer = { notification: null, who: [], asked: new Set(askedBy ? [askedBy] : []) };
  offers.set(vault.id, offer);
  const who = el('div', { class: 'nr-vault-offer-who' });
  offer.who.push(who);
  redrawWho(offer, vault);
  const body = el('div', { class: 'nr-vault-unlock-offer', 'data-vault': vault.id },
    el('p', {}, el('i', { class: 'fa fa-lock' }), ' Vault ', el('strong', { class: 'nr-vault-name' }, vault.name || vault.id), ' is locked.'),
    runtimeLine('Unlocking seals its key to'),
    who);
  offer.notification = RED.notify(body, {
    type: 'warning',
    fixed: true,
    buttons: [
      { text: 'Not now', click: () => { waiting.putOff(vault.id); closeOffer(vault.id); } },
      {
        text: 'Unlock', class: 'primary', id: 'nr-vault-popup-unlock',
        click: () => {
          const context = el('div', { class: 'nr-vault-offer-who' });
          offer.notification?.close();
          offer.notification = null;
          offer.who = [context];
          redrawWho(offer, vault);
          let unlocked = false;
          unlockDialog(vault, {
            context,
            onUnlocked: () => { unlocked = true; },
            // Cancelled: as "Not now" (the Vault page says so), not a new popup at the next change.
            onClose: () => {
              if (offers.get(vault.id) === offer && !offer.notification) offers.delete(vault.id);
              if (!unlocked) waiting.putOff(vault.id);
            },
          });
        },
      },
    ],
  });
}

function closeOffer(vaultId: string): void {
  const offer = offers.get(vaultId);
  offers.delete(vaultId);
  offer?.notification?.close();
}
