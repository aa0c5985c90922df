// The one panel that shows a new Vault Secret Key: the key in full, Copy, Download, and the
// "I have saved it" check that the dialog around it waits for. Used wherever a vault is created.
import { el } from './dom';
import type { VaultInfo } from './wire-types';

export interface KeyPanel {
  node: HTMLElement;
  /** Whether the person ticked "I have saved it". */
  saved(): boolean;
}

export const NOT_SAVED_YET = 'Save the key first, then tick "I have saved it".';

export function keyPanel(vault: VaultInfo, vsk: string): KeyPanel {
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
  const node = el('div', { class: 'nr-vault-key-panel' },
    el('p', {}, 'This is the Vault Secret Key of ', el('strong', {}, vault.name), '. It is shown now and never again; the server does not keep it.'),
    el('p', { class: 'nr-vault-hint' }, 'Nobody can recover it: not Node-RED, not an administrator, not the authors of this package. Without it the vault cannot be unlocked and its connections cannot be read. Keep it in a password manager.'),
    el('div', { class: 'nr-vault-vsk-box' }, keyText),
    el('div', { class: 'nr-vault-row' }, copy, ' ', download, ' ', copied),
    el('div', { class: 'nr-vault-row' }, el('label', { for: 'nr-vault-vsk-saved', class: 'nr-vault-check' }, saved, ' I have saved it')));
  return { node, saved: () => saved.checked };
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
