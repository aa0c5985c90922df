// Delete a vault (DELETE vault/vaults/{v}) after a confirmation that says how many nodes of the
// workspace use it and how many connections it holds; and the quiet removal of a vault that a
// cancelled dialog made (nothing is left behind a Cancel).
import { messageOf } from './api';
import { busy, openDialog } from './dialog';
import { el } from './dom';
import { deployedReferences } from './reference-picker';
import { state } from './state';
import { nodeLabel, vaultIdOfConfig } from './usage';
import { vaultClient } from './vault-client';
import type { VaultInfo } from './wire-types';

export async function deleteVaultOnServer(vaultId: string): Promise<void> {
  const { api: client } = await vaultClient();
  await client.call('DELETE', `vault/vaults/${encodeURIComponent(vaultId)}`);
}

/** Nodes that use the vault: through a vault configuration node, or a reference. */
export async function nodesUsingVault(vaultId: string): Promise<RedNode[]> {
  const found = new Map<string, RedNode>();
  const check = (n: RedNode) => {
    // The vault configuration nodes themselves are not counted: the nodes using them are.
    if (n.type !== 'vault' && vaultIdOfConfig(n.vault) === vaultId) found.set(n.id, n);
  };
  RED.nodes.eachNode(check);
  RED.nodes.eachConfig(check);
  for (const r of await deployedReferences().catch(() => [])) {
    const n = r.vault === vaultId && !found.has(r.node) ? RED.nodes.node(r.node) : null;
    if (n) found.set(n.id, n);
  }
  return [...found.values()];
}

export async function deleteVaultDialog(vault: VaultInfo): Promise<void> {
  const users = await nodesUsingVault(vault.id);
  const connections = (await state.items(vault.id).catch(() => [])).length;
  const count = users.length;
  openDialog({
    title: 'Delete vault',
    body: [
      el('p', {}, 'Delete the vault ', el('strong', { class: 'nr-vault-name' }, vault.name), '? This cannot be undone, for every runtime that shares this store.'),
      el('p', { class: 'nr-vault-delete-connections', 'data-count': connections },
        connections === 0 ? 'It holds no connection.' : `It holds ${connections} connection${connections === 1 ? '' : 's'}, which will be gone.`),
      el('p', { class: 'nr-vault-usage', 'data-count': count },
        count === 0 ? 'No node in this workspace uses it.' : `${count} node${count === 1 ? '' : 's'} in this workspace use${count === 1 ? 's' : ''} it and will fail:`),
      count ? el('ul', { class: 'nr-vault-usage-list' }, users.slice(0, 10).map((n) => el('li', {}, nodeLabel(n)))) : null,
    ],
    buttons: [
      { text: 'Cancel', click: (d) => d.close() },
      {
        text: 'Delete vault', primary: true, id: 'nr-vault-delete-vault-go',
        click: async (d) => {
          const ok = await busy(d, async () => { await deleteVaultOnServer(vault.id); return true; });
          if (!ok) return;
          d.close();
          state.changed({});
        },
      },
    ],
  });
}

/** A vault made in a dialog that was then cancelled: removed again, and the person told so. */
export function removeCancelledVault(vault: VaultInfo): void {
  deleteVaultOnServer(vault.id).then(
    () => {
      state.changed({});
      RED.notify(el('p', {}, 'The new vault ', el('strong', {}, vault.name), ' was removed, as its dialog was cancelled.'), { type: 'compact', timeout: 4000 });
    },
    (e: unknown) => RED.notify(el('p', {}, 'The new vault ', el('strong', {}, vault.name), ` could not be removed: ${messageOf(e)}`), { type: 'error' }),
  );
}
