// The editor side of @nr-vault/node-red-vault, bundled by scripts/build.js into
// resources/vault-editor.js and loaded by the editor plugin (vault-editor-plugin.html).
// It adds to RED.nrVault (whose loadCrypto() the plugin defines): the Vault sidebar, the shared
// connection selector and dialogs, and the unlock popup.
import { connectionDialog } from './connection-dialog';
import { connectionSelector } from './connection-selector';
import type { NrVaultApi } from './nr-vault-api';
import { addVaultSidebar } from './sidebar';
import { state, subscribeToRuntime } from './state';
import { addStyles } from './styles';
import { listenForUnlockRequests } from './unlock-popup';
import { createVaultDialog, unlockDialog } from './vault-dialogs';

let installed = false;

const nrVault: NrVaultApi = Object.assign(RED.nrVault || {}, {
  connectionSelector,
  connectionDialog,
  createVaultDialog,
  unlockDialog: (vaultId: string, opts?: Parameters<typeof unlockDialog>[1]) => state.vault(vaultId).then((v) => { if (v) unlockDialog(v, opts); }),
  state,
  /** Called once by the plugin when the editor has loaded it. */
  installEditor() {
    if (installed) return;
    installed = true;
    addStyles();
    subscribeToRuntime();
    addVaultSidebar();
    listenForUnlockRequests();
  },
});
RED.nrVault = nrVault;
