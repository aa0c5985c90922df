// RED.nrVault: what this package's editor code offers to the nodes' dialogs (and to tests).
import type { ConnectionDialogOptions } from './connection-dialog';
import type { ConnectionSelector, ConnectionSelectorOptions } from './connection-selector';
import type { EditorState } from './state';
import type { CreateVaultOptions, UnlockOptions } from './vault-dialogs';

export interface NrVaultApi {
  /** Defined by the plugin (vault-editor-plugin.html): the crypto bundle, loaded on first use. */
  loadCrypto(): Promise<NrVaultCryptoModule>;
  connectionSelector(container: string | HTMLElement | JQueryElements, options?: ConnectionSelectorOptions): ConnectionSelector;
  connectionDialog(options: ConnectionDialogOptions): Promise<void>;
  createVaultDialog(options?: CreateVaultOptions): void;
  unlockDialog(vaultId: string, options?: UnlockOptions): Promise<void>;
  state: EditorState;
  installEditor(): void;
}
