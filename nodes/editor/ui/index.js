// The editor side of @nr-vault/node-red-vault, bundled by scripts/build.js into
// resources/vault-editor.js and loaded by the editor plugin (vault-editor-plugin.html).
// It adds to RED.nrVault (whose loadCrypto() the plugin defines): the Vault sidebar, the shared
// connection selector and dialogs, and the unlock popup.
import { connectionDialog } from './connection-dialog.js';
import { connectionSelector } from './connection-selector.js';
import { addVaultSidebar } from './sidebar.js';
import { state, subscribeToRuntime } from './state.js';
import { addStyles } from './styles.js';
import { listenForUnlockRequests } from './unlock-popup.js';
import { createVaultDialog, unlockDialog } from './vault-dialogs.js';

const nrVault = (RED.nrVault = RED.nrVault || {});
nrVault.connectionSelector = connectionSelector;
nrVault.connectionDialog = connectionDialog;
nrVault.createVaultDialog = createVaultDialog;
nrVault.unlockDialog = (vaultId, opts) => state.vault(vaultId).then((v) => v && unlockDialog(v, opts));
nrVault.state = state;

let installed = false;
/** Called once by the plugin when the editor has loaded it. */
nrVault.installEditor = function installEditor() {
  if (installed) return;
  installed = true;
  addStyles();
  subscribeToRuntime();
  addVaultSidebar();
  listenForUnlockRequests();
};
