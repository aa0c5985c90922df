// RED.nrVault: what this package's editor code offers to the nodes' HTML files (and to tests).
import type { ConnectionDialogOptions } from './connection-dialog';
import type { ConnectionSelector, ConnectionSelectorOptions } from './connection-selector';
import type { EditorState } from './state';
import type { CreateVaultOptions, UnlockOptions } from './vault-dialogs';

export interface NrVaultApi {
  /** The crypto bundle (libsodium + credentials/crypto), loaded on first use. */
  loadCrypto(): Promise<NrVaultCryptoModule>;
  /** What a node's HTML passes to RED.nodes.registerType: its defaults, labels and dialog logic. */
  nodeDefinition(type: string): RedNodeDefinition;
  connectionSelector(container: string | HTMLElement | JQueryElements, options?: ConnectionSelectorOptions): ConnectionSelector;
  connectionDialog(options: ConnectionDialogOptions): Promise<void>;
  createVaultDialog(options?: CreateVaultOptions): void;
  unlockDialog(vaultId: string, options?: UnlockOptions): Promise<void>;
  state: EditorState;
}
