// The editor side of @nr-vault/node-red-vault, bundled by scripts/build.js into
// resources/vault-editor.js and loaded by the editor plugin (vault-editor-plugin.html) before any
// node's HTML: it defines RED.nrVault (the nodes' dialog definitions, the shared connection
// selector and dialogs) and registers the plugin, which adds the Vault sidebar and the unlock popup.
import { connectionDialog } from './connection-dialog';
import { connectionSelector } from './connection-selector';
import { loadCrypto } from './crypto-loader';
import { nodeDefinition } from './node-dialogs';
import type { NrVaultApi } from './nr-vault-api';
import { addVaultSidebar } from './sidebar';
import { state, subscribeToRuntime } from './state';
import { addStyles } from './styles';
import { listenForUnlockRequests } from './unlock-popup';
import { installReferencePicker } from './reference-picker';
import { createVaultDialog, unlockDialog, type UnlockOptions } from './vault-dialogs';

let installed = false;

/** The Vault sidebar, styles and unlock popup: once, when the editor adds the plugin. */
function installEditor(): void {
  if (installed) return;
  installed = true;
  addStyles();
  subscribeToRuntime();
  addVaultSidebar();
  listenForUnlockRequests();
  installReferencePicker();
}

const nrVault: NrVaultApi = {
  loadCrypto,
  nodeDefinition,
  connectionSelector,
  connectionDialog,
  createVaultDialog,
  unlockDialog: (vaultId: string, opts?: UnlockOptions) => state.vault(vaultId).then((v) => { if (v) unlockDialog(v, opts); }),
  state,
};
RED.nrVault = nrVault;

RED.plugins.registerPlugin('nr-vault-editor', { type: 'nr-vault-editor', onadd: installEditor });
