// The vault configuration node's dialog: pick a vault of this runtime's store, or create one with
// the Vault page's dialog (its key shown once, with Copy, Download and "I have saved it").
import { ID_PATTERN } from '../../../../credentials/crypto/limits';
import { messageOf } from '../api';
import { state } from '../state';
import { createVaultDialog } from '../vault-dialogs';
import type { VaultInfo } from '../wire-types';

/** The "existing vaults" dropdown: picking one fills in its id (and its name if none yet). */
function vaultPicker(node: RedEditorNode): { reload(selectId?: string): void } {
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
    if (chosen) useVault(chosen);
  });
  load();
  return { reload: load };
}

/** Point this config node at a vault; its name follows unless the person gave one. */
function useVault(vault: VaultInfo): void {
  $('#node-config-input-vaultId').val(vault.id).trigger('change');
  if (!$('#node-config-input-name').val()) $('#node-config-input-name').val(vault.name).trigger('change');
}

export function vaultConfigDefinition(): RedNodeDefinition {
  return {
    category: 'config',
    defaults: {
      name: { value: '' },
      vaultId: { value: '', required: true, validate: RED.validators.regex(ID_PATTERN) },
    },
    label() { return this.name || (typeof this.vaultId === 'string' && this.vaultId) || this._('vault.label.default'); },
    oneditprepare() {
      const picker = vaultPicker(this);
      $('#node-config-vault-new').on('click', (e) => {
        e.preventDefault();
        createVaultDialog({
          name: String($('#node-config-input-name').val() || ''),
          onCreated: (vault) => {
            useVault(vault);
            picker.reload(vault.id);
          },
        });
      });
    },
  };
}
