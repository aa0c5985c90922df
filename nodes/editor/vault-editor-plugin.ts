import type { NodeRedApi } from '../shared/node-red';
import { attachVault } from '../shared/vault-runtime-registry';

interface PluginApi {
  plugins: { registerPlugin(id: string, definition: Record<string, unknown>): void };
}

/**
 * The editor plugin's runtime part: starts the vault and its admin API with the package, so the
 * editor (sidebar, config dialog) works before any flow uses a vault.
 */
export = function register(RED: NodeRedApi & PluginApi): void {
  RED.plugins.registerPlugin('nr-vault-editor', { type: 'nr-vault-editor' });
  void attachVault(RED).catch(() => undefined);
};
