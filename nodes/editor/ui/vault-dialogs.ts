// Create a vault (its VSK shown once in the key panel: copy, download, "I have saved it") and
// unlock one (the pasted VSK is checked and sealed in the browser).
import { MAX_NAME_CHARS } from '../../../credentials/crypto/limits';
import { createVault, NOT_APPROVED, unlockVault } from './vault-actions';
import { runtimeLine, thisRuntime } from './this-runtime';
import { busy, openDialog, type DialogHandle } from './dialog';
import { clear, el } from './dom';
import { keyPanel, NOT_SAVED_YET } from './key-panel';
import { state } from './state';
import type { VaultInfo } from './wire-types';

export interface CreateVaultOptions {
  /** The name the dialog starts with (e.g. the config node's name). */
  name?: string;
  /** Called once the person has saved the new vault's key and closed the dialog. */
  onCreated?(vault: VaultInfo): void;
}

export interface UnlockOptions {
  /** Why the unlock is asked for, e.g. the nodes that wait (kept up to date by its owner). */
  context?: string | HTMLElement;
  onUnlocked?(): void;
  /** The dialog closed, unlocked or not. */
  onClose?(): void;
}

/** Ask for a name, create the vault, show its VSK once. */
export function createVaultDialog(opts: CreateVaultOptions = {}): void {
  const name = el('input', { type: 'text', id: 'nr-vault-new-vault-name', placeholder: 'e.g. Production', maxlength: MAX_NAME_CHARS, value: opts.name || '' });
  openDialog({
    title: 'Create a vault',
    body: [
      el('div', { class: 'form-row' }, el('label', { for: 'nr-vault-new-vault-name' }, 'Name'), name),
      el('p', { class: 'nr-vault-hint' }, 'A new Vault Secret Key is made in your browser. It is shown once: keep it somewhere safe. Without it, nobody can read what the vault holds.'),
    ],
    buttons: [
      { text: 'Cancel', click: (d) => d.close() },
      {
        text: 'Create', primary: true, id: 'nr-vault-create-vault',
        click: async (d) => {
          const wanted = name.value.trim();
          if (!wanted) return d.setError('Give the vault a name.');
          const made = await busy(d, () => createVault(wanted));
          if (!made) return;
          d.close();
          state.changed({ vault: made.vault.id });
          showVskOnce(made.vault, made.vsk, opts.onCreated);
        },
      },
    ],
  });
  name.focus();
}

function showVskOnce(vault: VaultInfo, vsk: string, onCreated?: (vault: VaultInfo) => void): void {
  const panel = keyPanel(vault, vsk);
  let dialog: DialogHandle | undefined;
  const done = () => {
    if (panel.saved()) return true;
    if (dialog) dialog.setError(NOT_SAVED_YET);
    return false;
  };
  dialog = openDialog({
    title: 'Save the Vault Secret Key',
    width: 560,
    closeOnEscape: false,
    canClose: done,
    body: [panel.node],
    buttons: [{
      text: 'Done', primary: true, id: 'nr-vault-vsk-done',
      click: (d) => { if (done()) d.close(); },
    }],
    onClose: () => { if (onCreated) onCreated(vault); },
  });
}

/** Ask for a vault's VSK and unlock it on this runtime (named, with its fingerprint). */
export function unlockDialog(vault: VaultInfo, opts: UnlockOptions = {}): void {
  const input = el('input', { type: 'password', id: 'nr-vault-unlock-vsk', autocomplete: 'off', spellcheck: 'false', placeholder: 'vsk1_…' });
  const notApproved = el('div', { class: 'nr-vault-not-approved', id: 'nr-vault-unlock-not-approved', role: 'alert', hidden: true });
  let goOnWithoutApproval = false;
  input.addEventListener('input', () => { goOnWithoutApproval = false; notApproved.hidden = true; });
  openDialog({
    title: 'Unlock a vault',
    width: 560,
    body: [
      el('p', {}, 'Unlock ', el('strong', { class: 'nr-vault-name' }, vault.name), ' on this Node-RED runtime.'),
      runtimeLine('The key is checked here and sealed to'),
      typeof opts.context === 'string' ? el('p', { class: 'nr-vault-hint' }, opts.context) : opts.context,
      el('div', { class: 'form-row' }, el('label', { for: 'nr-vault-unlock-vsk' }, 'Vault Secret Key'), input),
      notApproved,
    ],
    buttons: [
      { text: 'Cancel', click: (d) => d.close() },
      {
        text: 'Unlock', primary: true, id: 'nr-vault-unlock-go',
        click: async (d) => {
          const done = await busy(d, () => unlockVault(vault, input.value, { withoutApproval: goOnWithoutApproval }));
          if (!done) return;
          if (done === NOT_APPROVED) {
            const rt = await thisRuntime().catch(() => undefined);
            clear(notApproved).append(
              el('p', {}, el('strong', {}, 'This runtime has no approval for this vault.'), ' Other runtimes share its store, and nothing signed with this vault\'s key says that runtime ',
                el('strong', {}, rt ? rt.name : '?'), ' (fingerprint ', el('code', {}, rt ? rt.fingerprint : '?'), ') may have it. Nothing was sent.'),
              el('p', {}, 'Compare the fingerprint with the one this runtime logs at start (or approve it with nr-vault approve). Press Unlock again to send the key to it anyway.'));
            notApproved.hidden = false;
            goOnWithoutApproval = true;
            return;
          }
          input.value = '';
          d.close();
          state.changed({ vault: vault.id });
          RED.notify(el('p', {}, 'Vault ', el('strong', {}, vault.name), ' is unlocked.'), { type: 'success', timeout: 3000 });
          if (opts.onUnlocked) opts.onUnlocked();
        },
      },
    ],
    onClose: () => { input.value = ''; if (opts.onClose) opts.onClose(); },
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') $('#nr-vault-unlock-go').trigger('click'); });
  input.focus();
}
