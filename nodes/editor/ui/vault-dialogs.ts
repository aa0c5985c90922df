// Create a vault (its VSK shown once, with copy, download and an "I have saved it" check) and
// unlock one (the pasted VSK is checked and sealed in the browser).
import { createVault, unlockVault } from './crypto-ops';
import { busy, openDialog, type DialogHandle } from './dialog';
import { el } from './dom';
import { state } from './state';
import type { VaultInfo } from './wire-types';

export interface CreateVaultOptions {
  /** The name the dialog starts with (e.g. the config node's name). */
  name?: string;
  /** Called once the person has saved the new vault's key and closed the dialog. */
  onCreated?(vault: VaultInfo): void;
}

export interface UnlockOptions {
  /** Why the unlock is asked for, e.g. the node that waits. */
  context?: string;
  onUnlocked?(): void;
}

/** Ask for a name, create the vault, show its VSK once. */
export function createVaultDialog(opts: CreateVaultOptions = {}): void {
  const name = el('input', { type: 'text', id: 'nr-vault-new-vault-name', placeholder: 'e.g. Production', maxlength: 200, value: opts.name || '' });
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
  const saved = el('input', { type: 'checkbox', id: 'nr-vault-vsk-saved' });
  const copied = el('span', { class: 'nr-vault-hint', 'aria-live': 'polite' });
  const keyText = el('code', { class: 'nr-vault-vsk', id: 'nr-vault-vsk' }, vsk);
  const copy = el('button', { type: 'button', class: 'red-ui-button', id: 'nr-vault-vsk-copy' }, el('i', { class: 'fa fa-clipboard' }), ' Copy');
  const download = el('button', { type: 'button', class: 'red-ui-button', id: 'nr-vault-vsk-download' }, el('i', { class: 'fa fa-download' }), ' Download');
  copy.addEventListener('click', () => copyText(vsk, keyText).then(
    () => { copied.textContent = 'Copied.'; },
    () => { copied.textContent = 'Select the key and copy it yourself.'; },
  ));
  download.addEventListener('click', () => downloadText(`${fileName(vault.name)}.vsk.txt`, `Vault: ${vault.name}\nVault id: ${vault.id}\nVault Secret Key: ${vsk}\n`));
  let dialog: DialogHandle | undefined;
  const done = () => {
    if (!saved.checked) {
      if (dialog) dialog.setError('Save the key first, then tick "I have saved it".');
      return false;
    }
    return true;
  };
  dialog = openDialog({
    title: 'Save the Vault Secret Key',
    width: 560,
    closeOnEscape: false,
    canClose: done,
    body: [
      el('p', {}, 'This is the Vault Secret Key of ', el('strong', {}, vault.name), '. It is shown now and never again; the server does not keep it.'),
      el('p', { class: 'nr-vault-hint' }, 'Nobody can recover it: not Node-RED, not an administrator, not the authors of this package. Without it the vault cannot be unlocked and its connections cannot be read. Keep it in a password manager.'),
      el('div', { class: 'nr-vault-vsk-box' }, keyText),
      el('div', { class: 'nr-vault-row' }, copy, ' ', download, ' ', copied),
      el('div', { class: 'nr-vault-row' }, el('label', { for: 'nr-vault-vsk-saved', class: 'nr-vault-check' }, saved, ' I have saved it')),
    ],
    buttons: [{
      text: 'Done', primary: true, id: 'nr-vault-vsk-done',
      click: (d) => { if (done()) d.close(); },
    }],
    onClose: () => { if (onCreated) onCreated(vault); },
  });
}

function fileName(name: string): string {
  return (name || 'vault').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'vault';
}

function copyText(text: string, node: Node): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const range = document.createRange();
  range.selectNodeContents(node);
  const sel = window.getSelection();
  if (sel) {
    sel.removeAllRanges();
    sel.addRange(range);
  }
  // execCommand is deprecated but the only way to copy on a plain-http editor page.
  const ok = document.execCommand('copy');
  return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
}

// A blob URL: the key goes from memory to a file, never over the network.
function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = el('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Ask for a vault's VSK and unlock it on this runtime. */
export function unlockDialog(vault: VaultInfo, opts: UnlockOptions = {}): void {
  const input = el('input', { type: 'password', id: 'nr-vault-unlock-vsk', autocomplete: 'off', spellcheck: 'false', placeholder: 'vsk1_…' });
  openDialog({
    title: 'Unlock a vault',
    body: [
      el('p', {}, 'Unlock ', el('strong', { class: 'nr-vault-name' }, vault.name), ' on this Node-RED runtime.'),
      opts.context ? el('p', { class: 'nr-vault-hint' }, opts.context) : null,
      el('div', { class: 'form-row' }, el('label', { for: 'nr-vault-unlock-vsk' }, 'Vault Secret Key'), input),
      el('p', { class: 'nr-vault-hint' }, 'The key is checked here and sealed to this runtime\'s public key before it is sent.'),
    ],
    buttons: [
      { text: 'Cancel', click: (d) => d.close() },
      {
        text: 'Unlock', primary: true, id: 'nr-vault-unlock-go',
        click: async (d) => {
          const ok = await busy(d, async () => { await unlockVault(vault, input.value); return true; });
          if (!ok) return;
          input.value = '';
          d.close();
          state.changed({ vault: vault.id });
          RED.notify(el('p', {}, 'Vault ', el('strong', {}, vault.name), ' is unlocked.'), { type: 'success', timeout: 3000 });
          if (opts.onUnlocked) opts.onUnlocked();
        },
      },
    ],
    onClose: () => { input.value = ''; },
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') $('#nr-vault-unlock-go').trigger('click'); });
  input.focus();
}
