// Delete a connection after a confirmation that says how many nodes of the workspace use it.
import { api } from './api';
import { busy, openDialog } from './dialog';
import { el } from './dom';
import { nodeLabel, nodesUsingAll } from './usage';
import { state } from './state';
import type { ItemMetadata } from './wire-types';

export async function deleteConnectionDialog(vaultId: string, item: ItemMetadata): Promise<void> {
  // Vault references count too: a node that references the connection fails to start without it.
  const users = await nodesUsingAll(vaultId, item.id);
  const count = users.length;
  const usage = count === 0
    ? 'No node in this workspace uses it.'
    : `${count} node${count === 1 ? '' : 's'} in this workspace use${count === 1 ? 's' : ''} it and will fail until given another connection:`;
  openDialog({
    title: 'Delete connection',
    body: [
      el('p', {}, 'Delete ', el('strong', { class: 'nr-vault-name' }, item.name), '? Its stored values are removed for every runtime that shares this store.'),
      el('p', { class: 'nr-vault-usage', 'data-count': count }, usage),
      count ? el('ul', { class: 'nr-vault-usage-list' }, users.slice(0, 10).map((n) => el('li', {}, nodeLabel(n)))) : null,
    ],
    buttons: [
      { text: 'Cancel', click: (d) => d.close() },
      {
        text: 'Delete', primary: true, id: 'nr-vault-delete-go',
        click: async (d) => {
          const ok = await busy(d, async () => { await api.deleteItem(vaultId, item.id); return true; });
          if (!ok) return;
          d.close();
          state.changed({ vault: vaultId, item: item.id });
        },
      },
    ],
  });
}
