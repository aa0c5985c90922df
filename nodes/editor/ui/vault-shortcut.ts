// A one-click way to the Vault page on Node-RED 4.x. Its sidebar shows the first few tabs as
// buttons, in the order Info, Help, Debug, then the others as they were added, and moves the
// rest into its ▾ menu as the sidebar narrows: at 1400x900 or 1024x768 the Vault page was only in
// that menu (and showing Debug, which adds its button, pushed Vault's out again). The order is the
// person's own (they may drag buttons), so it is left alone: a lock button in the header, before
// Deploy, shows the Vault page instead. Node-RED 5 keeps a button per tab in its sidebar bar, so
// nothing is added there.
import { el, icon } from './dom';

export function addVaultShortcut(show: () => void): void {
  // Node-RED 4.x's collapsing button row; Node-RED 5 has none.
  if (!document.querySelector('#red-ui-sidebar .red-ui-tab-link-buttons')) return;
  const toolbar = document.querySelector('.red-ui-header-toolbar');
  if (!toolbar || document.getElementById('nr-vault-header-button')) return;
  const button = el('a', { id: 'nr-vault-header-button', class: 'button', href: '#', 'aria-label': 'Vault', title: 'Vault: your vaults and connections' }, icon('fa-lock'));
  button.addEventListener('click', (e) => {
    e.preventDefault();
    show();
  });
  toolbar.insertBefore(el('li', {}, button), toolbar.firstChild);
}
