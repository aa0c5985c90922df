import { attachVault } from './vault-runtime-registry';
import type { NodeRedWithAdmin } from './node-red-admin';

export type NodeRedWithPlugins = NodeRedWithAdmin & {
  plugins: { registerPlugin(id: string, definition: Record<string, unknown>): void };
};

/**
 * The editor plugin's runtime part: starts the vault and its admin API with the package, so the
 * editor (sidebar, config dialog) works before any flow uses a vault.
 */
export function registerEditorPlugin(RED: NodeRedWithPlugins): void {
  RED.plugins.registerPlugin('nr-vault-editor', { type: 'nr-vault-editor' });
  void attachVault(RED).catch(() => undefined);
}
