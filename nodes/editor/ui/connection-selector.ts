// The connection selector: one widget for every node that uses a vault connection.
import { failureOf, messageOf } from './api';
import { connectionDialog } from './connection-dialog';
import { clear, el, icon } from './dom';
import { state } from './state';
import { statusBadge, statusLook } from './status';
import { vaultIdOfConfig } from './usage';
import type { ItemMetadata } from './wire-types';

export interface ConnectionSelectorOptions {
  /** Selector (or element) of the node's vault config select; default '#node-input-vault'. */
  vaultInput?: string | HTMLElement;
  /** Accepted connection type names, e.g. ['smtp'], or null for any type. */
  types?: string[] | null;
  /** The connection (item) id chosen so far, e.g. this.item. */
  value?: string;
  /** An input (e.g. a hidden '#node-input-item') kept equal to the chosen id, so Node-RED saves it. */
  input?: string | HTMLElement;
  /** Called when the person changes the choice. */
  onChange?(itemId: string, item: ItemMetadata | undefined): void;
  /** Called after every redraw (first load, vault changed, a connection written anywhere). */
  onRefresh?(itemId: string, item: ItemMetadata | undefined): void;
}

export interface ConnectionSelector {
  value(): string;
  refresh(): Promise<void>;
  destroy(): void;
}

/**
 * RED.nrVault.connectionSelector(container, options)
 *
 * Call it in a node's oneditprepare. It draws, inside `container` (element, jQuery or selector):
 * a <select> of the vault's connections of the accepted types, each with its status; a pencil
 * button that edits the chosen connection; a `+` button that opens the connection dialog over the
 * node's dialog and selects the new connection once it is added. The widget follows the vault
 * input's changes; the vault id is that config node's `vaultId`.
 *
 * Names and values are shown as text only. Nothing secret is ever in the browser to show.
 */
export function connectionSelector(container: string | HTMLElement | JQueryElements, options: ConnectionSelectorOptions = {}): ConnectionSelector {
  const root = $(container)[0];
  if (!root) throw new Error('connectionSelector: the container is not in the page.');
  const types = Array.isArray(options.types) && options.types.length ? options.types : null;
  const $vaultInput = $(options.vaultInput || '#node-input-vault');
  const $input = options.input ? $(options.input) : null;
  let value = options.value !== undefined ? options.value || '' : $input ? String($input.val() || '') : '';
  let items: ItemMetadata[] = [];
  let vaultId: string | undefined;

  const select = el('select', { class: 'nr-vault-selector-select' });
  const badge = el('span', { class: 'nr-vault-selector-status' });
  const editBtn = el('button', { type: 'button', class: 'red-ui-button nr-vault-selector-edit', title: 'Edit this connection' }, icon('fa-pencil'));
  const addBtn = el('button', { type: 'button', class: 'red-ui-button nr-vault-selector-add', title: 'Add a connection' }, icon('fa-plus'));
  const note = el('div', { class: 'nr-vault-hint nr-vault-selector-note' });
  clear(root).appendChild(el('div', { class: 'nr-vault-selector' }, select, ' ', editBtn, ' ', addBtn, ' ', badge));
  root.appendChild(note);

  const chosen = () => items.find((i) => i.id === value);

  const set = (id: string, notify: boolean) => {
    value = id || '';
    if ($input) $input.val(value).trigger('change');
    drawChoice();
    if (notify && options.onChange) options.onChange(value, chosen());
  };

  function drawChoice(): void {
    const meta = chosen();
    clear(badge);
    if (meta) badge.appendChild(statusBadge(meta.status));
    editBtn.disabled = !meta;
    addBtn.disabled = !vaultId;
  }

  let refreshes = 0;
  async function refresh(): Promise<void> {
    if (!root.isConnected) return destroy();
    const mine = ++refreshes;
    const wantedVault = vaultIdOfConfig($vaultInput.val());
    let found: ItemMetadata[] = [];
    let problem = '';
    if (wantedVault) {
      try {
        const all = await state.items(wantedVault);
        found = all.filter((i) => !types || types.includes(i.type)).sort((a, b) => a.name.localeCompare(b.name));
      } catch (e) {
        const failure = failureOf(e);
        problem = failure && (failure.code === 'unknown_vault' || failure.status === 404)
          ? 'This vault is not in the store yet: create it from its configuration node or the Vault page.'
          : messageOf(e);
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
    if (options.onRefresh) options.onRefresh(value, chosen());
  }

  select.addEventListener('change', () => set(select.value, true));
  editBtn.addEventListener('click', () => {
    const item = chosen();
    if (item && vaultId) void connectionDialog({ vault: vaultId, item });
  });
  addBtn.addEventListener('click', () => {
    if (!vaultId) return;
    void connectionDialog({ vault: vaultId, types, onSaved: (meta) => { items = items.concat(meta); set(meta.id, true); void refresh(); } });
  });
  const onVault = () => { void refresh(); };
  $vaultInput.on('change', onVault);
  const stop = state.onChange((c) => { if (!c.vault || c.vault === vaultId) void refresh(); });
  function destroy(): void {
    stop();
    $vaultInput.off('change', onVault);
  }

  void refresh();
  return { value: () => value, refresh, destroy };
}
