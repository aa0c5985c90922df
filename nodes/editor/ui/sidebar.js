// The "Vault" sidebar tab: the vaults with their lock state on this runtime, and per vault its
// connections (type icon, name, status, last update) with add, edit and delete.
import { api } from './api.js';
import { connectionDialog } from './connection-dialog.js';
import { deleteConnectionDialog } from './delete-connection.js';
import { clear, el, icon, since } from './dom.js';
import { state } from './state.js';
import { statusBadge } from './status.js';
import { createVaultDialog, unlockDialog } from './vault-dialogs.js';

export function addVaultSidebar() {
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
    onchange: () => render(list),
  });
  RED.actions.add('nr-vault:show-vault-tab', () => RED.sidebar.show('nr-vault'));
  state.onChange(() => render(list));
  render(list);
  // "2 min ago" ages: redraw from the cache (no request) once a minute.
  setInterval(() => { if (list.isConnected && $(list).is(':visible')) render(list); }, 60 * 1000);
}

let renderCount = 0;

async function render(list) {
  const mine = ++renderCount;
  let vaults;
  try {
    vaults = await state.vaults();
  } catch (e) {
    if (mine === renderCount) clear(list).appendChild(el('p', { class: 'nr-vault-error' }, e.message));
    return;
  }
  const sections = await Promise.all(vaults.map((v) => vaultSection(v)));
  if (mine !== renderCount) return; // a newer render is under way
  clear(list);
  if (vaults.length === 0) {
    list.appendChild(el('p', { class: 'nr-vault-empty' }, 'No vault yet. Create one to keep connections (SMTP servers, API keys, logins) encrypted.'));
  }
  for (const s of sections) list.appendChild(s);
}

async function vaultSection(vault) {
  let items = null;
  let error = null;
  try {
    items = await state.items(vault.id);
  } catch (e) {
    error = e.message;
  }
  const types = await state.types().catch(() => []);
  const lockBtn = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-lock-toggle' },
    icon(vault.unlocked ? 'fa-lock' : 'fa-unlock'), vault.unlocked ? ' Lock' : ' Unlock');
  lockBtn.addEventListener('click', () => {
    if (!vault.unlocked) return unlockDialog(vault);
    api.lock(vault.id).then(() => state.changed({ vault: vault.id }), (e) => RED.notify(el('p', {}, e.message), { type: 'error' }));
  });
  const addBtn = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-add' }, icon('fa-plus'), ' Add connection');
  addBtn.addEventListener('click', () => connectionDialog({ vault: vault.id }));

  const rows = (items || []).slice().sort((a, b) => a.name.localeCompare(b.name)).map((item) => itemRow(vault, item, types));
  return el('div', { class: 'nr-vault-vault', 'data-vault': vault.id, 'data-unlocked': String(Boolean(vault.unlocked)) },
    el('div', { class: 'nr-vault-vault-head' },
      icon(vault.unlocked ? 'fa-unlock' : 'fa-lock'),
      ' ', el('span', { class: 'nr-vault-name', title: `id ${vault.id}` }, vault.name),
      ' ', el('span', { class: `nr-vault-lockstate nr-vault-${vault.unlocked ? 'unlocked' : 'locked'}` }, vault.unlocked ? 'unlocked' : 'locked'),
      el('span', { class: 'nr-vault-vault-actions' }, lockBtn, addBtn)),
    error ? el('p', { class: 'nr-vault-error' }, error) : null,
    items && items.length === 0 ? el('p', { class: 'nr-vault-empty' }, 'No connections yet.') : null,
    el('ul', { class: 'nr-vault-items' }, rows));
}

function itemRow(vault, item, types) {
  const type = types.find((t) => t.name === item.type);
  const edit = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-edit', title: 'Edit' }, icon('fa-pencil'));
  edit.addEventListener('click', () => connectionDialog({ vault: vault.id, item }));
  const del = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small nr-vault-delete', title: 'Delete' }, icon('fa-trash'));
  del.addEventListener('click', () => deleteConnectionDialog(vault.id, item));
  return el('li', { class: 'nr-vault-item', 'data-item': item.id, 'data-status': item.status },
    el('span', { class: 'nr-vault-type', title: type ? type.label : item.type }, icon(type ? type.icon : 'fa-cube')),
    el('span', { class: 'nr-vault-item-name' }, item.name),
    statusBadge(item.status),
    el('span', { class: 'nr-vault-updated', title: item.updatedAt || '' }, since(item.updatedAt)),
    el('span', { class: 'nr-vault-actions' }, edit, del));
}
