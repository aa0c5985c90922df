// The vault configuration node's dialog: pick a vault of this runtime's store, or create one with
// the Vault page's dialog (its key shown once, with Copy, Download and "I have saved it"). A vault
// made here is removed again if the dialog is cancelled; its name becomes the node's unless the
// person named the node in this dialog.
import { ID_PATTERN } from '../../../../credentials/crypto/limits';
import { messageOf } from '../api';
import { state } from '../state';
import { removeCancelledVault } from '../delete-vault';
import { openDialog } from '../dialog';
import { el } from '../dom';
import { createVaultDialog } from '../vault-dialogs';
import type { VaultInfo } from '../wire-types';

/** The "existing vaults" dropdown: picking one fills in its id (and its name if none yet). */
function vaultPicker(node: RedEditorNode, nameAtOpen: string): { reload(selectId?: string): void } {
  const select = $('#node-config-vault-existing');
  let vaults: VaultInfo[] = [];
  const option = (value: string, label: string) => $('<option>').val(value).text(label);
  function load(selectId?: string): void {
    state.vaults().then((list) => {
      vaults = list;
      select.empty().append(option('', node._('vault.pick.choose')));
      for (const v of vaults) {
        const lock = node._(v.unlocked ? 'vault.pick.unlocked' : 'vault.pick.locked');
        select.append(option(v.id, `${v.name} (${lock})`));
      }
      select.val(selectId || String($('#node-config-input-vaultId').val() || ''));
    }, (e: unknown) => {
      select.empty().append(option('', node._('vault.pick.loadFailed', { code: messageOf(e) })));
    });
  }
  select.on('change', () => {
    const chosen = vaults.find((v) => v.id === select.val());
    if (chosen) useVault(chosen, nameAtOpen);
  });
  load();
  return { reload: load };
}

/** Point this config node at a vault; its name follows unless the person named it in this dialog. */
function useVault(vault: VaultInfo, nameAtOpen: string): void {
  $('#node-config-input-vaultId').val(vault.id).trigger('change');
  const name = String($('#node-config-input-name').val() || '');
  if (!name || name === nameAtOpen) $('#node-config-input-name').val(vault.name).trigger('change');
}

/** The nodes of the workspace that use this configuration node. */
function usersOf(node: RedEditorNode): RedNode[] {
  const users: RedNode[] = [];
  const check = (n: RedNode) => { if (n.vault === node.id && n.id !== node.id) users.push(n); };
  RED.nodes.eachNode(check);
  RED.nodes.eachConfig(check);
  return users;
}

/**
 * "New vault" on a configuration node that already points at a vault would move every node using
 * it to the new, empty vault (their connections stay in the old one): ask first, and say how to
 * give one node a new vault instead.
 */
function confirmRepoint(node: RedEditorNode, go: () => void): void {
  const current = String($('#node-config-input-vaultId').val() || '');
  const users = usersOf(node);
  if (!current || users.length === 0) return go();
  openDialog({
    title: 'A new vault for all these nodes?',
    width: 520,
    body: [
      el('p', {}, `This configuration node is used by ${users.length} node${users.length === 1 ? '' : 's'}. A new vault here moves ${users.length === 1 ? 'it' : 'all of them'} to the new, empty vault: the connections they use stay in the current one.`),
      el('p', { class: 'nr-vault-hint' }, 'To give one node a new vault, cancel, and in that node\'s Vault list choose "Add new vault…" instead.'),
    ],
    buttons: [
      { text: 'Cancel', click: (d) => d.close() },
      { text: 'Move them to a new vault', id: 'nr-vault-repoint-go', click: (d) => { d.close(); go(); } },
    ],
  });
}

export function vaultConfigDefinition(): RedNodeDefinition {
  // The vault made in the open dialog, removed again if the dialog is cancelled.
  let madeHere: VaultInfo | undefined;
  return {
    category: 'config',
    defaults: {
      name: { value: '' },
      vaultId: { value: '', required: true, validate: RED.validators.regex(ID_PATTERN) },
    },
    label() { return this.name || (typeof this.vaultId === 'string' && this.vaultId) || this._('vault.label.default'); },
    oneditprepare() {
      madeHere = undefined;
      const nameAtOpen = String($('#node-config-input-name').val() || '');
      const picker = vaultPicker(this, nameAtOpen);
      $('#node-config-vault-new').on('click', (e) => {
        e.preventDefault();
        confirmRepoint(this, () => createVaultDialog({
          name: String($('#node-config-input-name').val() || ''),
          onCreated: (vault) => {
            if (madeHere) removeCancelledVault(madeHere); // a second one replaces the first, unused
            madeHere = vault;
            useVault(vault, nameAtOpen);
            picker.reload(vault.id);
          },
        }));
      });
    },
    oneditsave() {
      // Saved pointing at another vault than the one made here: that one is unused, remove it.
      if (madeHere && $('#node-config-input-vaultId').val() !== madeHere.id) removeCancelledVault(madeHere);
      madeHere = undefined;
    },
    oneditcancel() {
      if (madeHere) removeCancelledVault(madeHere);
      madeHere = undefined;
    },
  };
}
