// The "Vault" sidebar tab: the vaults with their lock state on this runtime, and per vault its
// connections (type icon, name, status, last update) with add, edit and delete.
import { adminAuthWarning } from './admin-auth-warning';
import { api, messageOf } from './api';
import { connectionDialog } from './connection-dialog';
import { deleteConnectionDialog } from './delete-connection';
import { deleteVaultDialog } from './delete-vault';
import { clear, el, icon, since } from './dom';
import { state } from './state';
import { addVaultShortcut } from './vault-shortcut';
import { statusBadge } from './status';
import { nodeLabel, nodesUsingAll } from './usage';
import { createVaultDialog, unlockDialog } from './vault-dialogs';
import { waiting } from './waiting';
import type { ConnectionType, ItemMetadata, VaultInfo } from './wire-types';

export function addVaultSidebar(): void {
  const list = el('div', { class: 'nr-vault-list', id: 'nr-vault-sidebar-list' });
  const createBtn = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small', id: 'nr-vault-create' }, icon('fa-plus'), ' Create vault');
  createBtn.addEventListener('click', () => createVaultDialog());
  const refreshBtn = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small', title: 'Refresh' }, icon('fa-refresh'));
  refreshBtn.addEventListener('click', () => state.changed({}));
  const content = el('div', { class: 'nr-vault-sidebar' },
    el('div', { class: 'red-ui-sidebar-header nr-vault-header' }, el('span', { class: 'nr-vault-title' }, 'Vaults'), el('span', { class: 'nr-vault-spacer' }), createBtn, ' ', refreshBtn),
    list);

  RED.sidebar.addTab({
    id: 'nr-vault',
    label: 'vault',
    name: 'Vault',
    iconClass: 'fa fa-lock',
    content,
    enableOnEdit: true,
    onchange: () => void render(list),
  });
  RED.actions.add('nr-vault:show-vault-tab', () => RED.sidebar.show('nr-vault'));
  addVaultShortcut(() => RED.sidebar.show('nr-vault'));
  state.onChange(() => void render(list));
  waiting.onChange(() => void render(list));
  void render(list);
  // "2 min ago" ages: redraw from the cache (no request) once a minute.
  setInterval(() => { if (list.isConnected && $(list).is(':visible')) void render(list); }, 60 * 1000);
}

let renderCount = 0;

async function render(list: HTMLElement): Promise<void> {
  const mine = ++renderCount;
  let vaults: VaultInfo[];
  try {
    vaults = await state.vaults();
  } catch (e) {
    if (mine === renderCount) clear(list).appendChild(el('p', { class: 'nr-vault-error' }, messageOf(e)));
    return;
  }
  const [sections, warning] = await Promise.all([Promise.all(vaults.map((v) => vaultSection(v))), adminAuthWarning()]);
  if (mine !== renderCount) return; // a newer render is under way
  clear(list);
  if (warning) list.appendChild(warning);
  if (vaults.length === 0) {
    list.appendChild(el('p', { class: 'nr-vault-empty' }, 'No vault yet. Create one to keep connections (SMTP servers, API keys, logins) encrypted.'));
  }
  for (const s of sections) list.appendChild(s);
}

async function vaultSection(vault: VaultInfo): Promise<HTMLElement> {
  let items: ItemMetadata[] | null = null;
  let error: string | null = null;
  try {
    items = await state.items(vault.id);
  } catch (e) {
    error = messageOf(e);
  }
  const types = await state.types().catch((): ConnectionType[] => []);
  const lockBtn = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-lock-toggle' },
    icon(vault.unlocked ? 'fa-lock' : 'fa-unlock'), vault.unlocked ? ' Lock' : ' Unlock');
  lockBtn.addEventListener('click', () => {
    if (!vault.unlocked) return unlockDialog(vault);
    api.lock(vault.id).then(() => state.changed({ vault: vault.id }), (e: unknown) => RED.notify(el('p', {}, messageOf(e)), { type: 'error' }));
  });
  const addBtn = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-add' }, icon('fa-plus'), ' Add connection');
  const deleteBtn = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-delete-vault', title: 'Delete this vault' }, icon('fa-trash'));
  deleteBtn.addEventListener('click', () => void deleteVaultDialog(vault));
  addBtn.addEventListener('click', () => void connectionDialog({ vault: vault.id }));

  const rows = (items || []).slice().sort((a, b) => a.name.localeCompare(b.name)).map((item) => itemRow(vault, item, types));
  return el('div', { class: 'nr-vault-vault', 'data-vault': vault.id, 'data-unlocked': String(Boolean(vault.unlocked)) },
    el('div', { class: 'nr-vault-vault-head' },
      icon(vault.unlocked ? 'fa-unlock' : 'fa-lock'),
      ' ', el('span', { class: 'nr-vault-name', title: `id ${vault.id}` }, vault.name),
      ' ', el('span', { class: `nr-vault-lockstate nr-vault-${vault.unlocked ? 'unlocked' : 'locked'}` }, vault.unlocked ? 'unlocked' : 'locked'),
      el('span', { class: 'nr-vault-vault-actions' }, lockBtn, addBtn, deleteBtn)),
    vault.unlocked ? null : waitingLine(vault),
    error ? el('p', { class: 'nr-vault-error' }, error) : null,
    items && items.length === 0 ? el('p', { class: 'nr-vault-empty' }, 'No connections yet.') : null,
    el('ul', { class: 'nr-vault-items' }, rows));
}

/** A locked vault: how many messages wait for it, and whether its unlock offer was put off. */
function waitingLine(vault: VaultInfo): HTMLElement | null {
  const nodes = waiting.forVault(vault);
  const messages = waiting.messages(vault);
  const putOff = waiting.putOffAt(vault.id);
  if (nodes.length === 0 && putOff === undefined) return null;
  const parts: string[] = [];
  if (messages > 0) parts.push(`${messages} message${messages === 1 ? '' : 's'} waiting`);
  const refs = nodes.filter((w) => w.reference).length;
  if (refs > 0) parts.push(`${refs} node${refs === 1 ? '' : 's'} waiting for a value`);
  if (parts.length === 0) parts.push('nothing waiting now');
  const text = parts.join(', ') + (putOff !== undefined ? ` · unlock put off ("Not now") at ${new Date(putOff).toLocaleTimeString()}` : '');
  return el('p', { class: 'nr-vault-waiting', 'data-messages': String(messages), title: 'Unlock the vault to let them go on' }, icon('fa-hourglass-half'), ' ', text);
}

function itemRow(vault: VaultInfo, item: ItemMetadata, types: ConnectionType[]): HTMLElement {
  const type = types.find((t) => t.name === item.type);
  const edit = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-edit', title: 'Edit' }, icon('fa-pencil'));
  edit.addEventListener('click', () => void connectionDialog({ vault: vault.id, item }));
  const del = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-delete', title: 'Delete' }, icon('fa-trash'));
  del.addEventListener('click', () => void deleteConnectionDialog(vault.id, item));
  const usedBy = el('span', { class: 'nr-vault-used-by', hidden: true });
  void nodesUsingAll(vault.id, item.id).then((nodes) => {
    if (!nodes.length) return;
    usedBy.hidden = false;
    usedBy.textContent = `used by ${nodes.length}`;
    usedBy.title = nodes.map((n) => `${n.type}: ${nodeLabel(n)}`).join('\n');
  }, (e: unknown) => console.warn('nr-vault: could not tell which nodes use a connection', e));
  return el('li', { class: 'nr-vault-item', 'data-item': item.id, 'data-status': item.status },
    el('span', { class: 'nr-vault-type', title: type ? type.label : item.type }, icon(type ? type.icon : 'fa-cube')),
    el('span', { class: 'nr-vault-item-name' }, item.name),
    statusBadge(item.status),
    usedBy,
    el('span', { class: 'nr-vault-updated', title: item.updatedAt || '' }, since(item.updatedAt)),
    el('span', { class: 'nr-vault-actions' }, edit, del));
}
