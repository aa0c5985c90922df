// The connection selector: one widget for every node that uses a vault connection.
import { connectionDialog } from './connection-dialog.js';
import { clear, el, icon } from './dom.js';
import { state } from './state.js';
import { statusBadge, statusLook } from './status.js';
import { vaultIdOfConfig } from './usage.js';

/**
 * RED.nrVault.connectionSelector(container, options) → { value(), refresh(), destroy() }
 *
 * Call it in a node's oneditprepare. It draws, inside `container` (element, jQuery or selector):
 * a <select> of the vault's connections of the accepted types, each with its status; a pencil
 * button that edits the chosen connection; a `+` button that opens the connection dialog over the
 * node's dialog and selects the new connection once it is added.
 *
 * options:
 *   vaultInput  selector (or element) of the node's vault config select, e.g. '#node-input-vault'.
 *               The widget follows its changes; the vault id is that config node's `vaultId`.
 *   types       accepted connection type names, e.g. ['smtp'], or null for any type.
 *   value       the connection (item) id chosen so far, e.g. this.item.
 *   input       optional selector of an input (e.g. a hidden '#node-input-item') that the widget
 *               keeps equal to the chosen id, so Node-RED saves it as the node's property.
 *   onChange    optional function(itemId, metadata | undefined) called when the person changes the choice.
 *   onRefresh   optional function(itemId, metadata | undefined) called after every redraw (first load,
 *               vault changed, a connection written anywhere): e.g. to fill a field list.
 *
 * Example (Send Mail):
 *   <input type="hidden" id="node-input-connection">
 *   <div class="form-row"><label>Connection</label><div id="node-input-connection-selector"></div></div>
 *   oneditprepare() {
 *     RED.nrVault.connectionSelector('#node-input-connection-selector',
 *       { vaultInput: '#node-input-vault', types: ['smtp'], value: this.connection, input: '#node-input-connection' });
 *   }
 * Names and values are shown as text only. Nothing secret is ever in the browser to show.
 */
export function connectionSelector(container, options = {}) {
  const root = $(container)[0];
  if (!root) throw new Error('connectionSelector: the container is not in the page.');
  const types = Array.isArray(options.types) && options.types.length ? options.types : null;
  const $vaultInput = $(options.vaultInput || '#node-input-vault');
  const $input = options.input ? $(options.input) : null;
  let value = options.value !== undefined ? options.value || '' : $input ? String($input.val() || '') : '';
  let items = [];
  let vaultId;

  const select = el('select', { class: 'nr-vault-selector-select' });
  const badge = el('span', { class: 'nr-vault-selector-status' });
  const editBtn = el('button', { type: 'button', class: 'red-ui-button nr-vault-selector-edit', title: 'Edit this connection' }, icon('fa-pencil'));
  const addBtn = el('button', { type: 'button', class: 'red-ui-button nr-vault-selector-add', title: 'Add a connection' }, icon('fa-plus'));
  const note = el('div', { class: 'nr-vault-hint nr-vault-selector-note' });
  clear(root).appendChild(el('div', { class: 'nr-vault-selector' }, select, ' ', editBtn, ' ', addBtn, ' ', badge));
  root.appendChild(note);

  const set = (id, notify) => {
    value = id || '';
    if ($input) $input.val(value).trigger('change');
    drawChoice();
    if (notify && options.onChange) options.onChange(value, items.find((i) => i.id === value));
  };

  function drawChoice() {
    const meta = items.find((i) => i.id === value);
    clear(badge);
    if (meta) badge.appendChild(statusBadge(meta.status));
    editBtn.disabled = !meta;
    addBtn.disabled = !vaultId;
  }

  let refreshes = 0;
  async function refresh() {
    if (!root.isConnected) return destroy();
    const mine = ++refreshes;
    const wantedVault = vaultIdOfConfig($vaultInput.val());
    let found = [];
    let problem = '';
    if (wantedVault) {
      try {
        const all = await state.items(wantedVault);
        found = all.filter((i) => !types || types.includes(i.type)).sort((a, b) => a.name.localeCompare(b.name));
      } catch (e) {
        problem = e.code === 'unknown_vault' || e.status === 404
          ? 'This vault is not in the store yet: create it from its configuration node or the Vault page.'
          : e.message;
      }
    }
    // Only the newest refresh draws, and only once its data is in: the list never flickers empty.
    if (mine !== refreshes) return;
    if (!root.isConnected) return destroy();
    vaultId = wantedVault;
    items = found;
    note.textContent = problem;
    clear(select);
    if (!vaultId) {
      select.appendChild(el('option', { value }, 'Choose a vault first'));
      select.disabled = true;
      drawChoice();
      return;
    }
    select.disabled = false;
    select.appendChild(el('option', { value: '' }, items.length ? 'Choose a connection' : 'No connection yet: press + to add one'));
    for (const i of items) {
      const look = statusLook(i.status);
      select.appendChild(el('option', { value: i.id, 'data-status': i.status }, i.status === 'ready' ? i.name : `${i.name} (${look.text})`));
    }
    if (value && !items.some((i) => i.id === value)) {
      select.appendChild(el('option', { value }, 'A connection that is not in this vault'));
    }
    select.value = value;
    drawChoice();
    if (options.onRefresh) options.onRefresh(value, items.find((i) => i.id === value));
  }

  select.addEventListener('change', () => set(select.value, true));
  editBtn.addEventListener('click', () => {
    const item = items.find((i) => i.id === value);
    if (item) connectionDialog({ vault: vaultId, item });
  });
  addBtn.addEventListener('click', () => {
    if (!vaultId) return;
    connectionDialog({ vault: vaultId, types, onSaved: (meta) => { items = items.concat(meta); set(meta.id, true); refresh(); } });
  });
  const onVault = () => refresh();
  $vaultInput.on('change', onVault);
  const stop = state.onChange((c) => { if (!c.vault || c.vault === vaultId) refresh(); });
  function destroy() {
    stop();
    $vaultInput.off('change', onVault);
  }

  refresh();
  return { value: () => value, refresh, destroy };
}
