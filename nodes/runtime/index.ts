/**
 * nodes/runtime: wires the vault into Node-RED (starts the vault runtime, registers admin/routes
 * and the RED.comms events, the editor plugin). The only place in nodes/ that imports admin/.
 */
export { registerEditorPlugin, type NodeRedWithPlugins } from './editor-plugin';
export type { NodeRedWithAdmin } from './node-red-admin';
export { attachVault, runningVaultRuntime, stopAllVaultRuntimes } from './vault-runtime-registry';
export { installVaultReferences, vaultReferencesOf, type VaultReferences } from './vault-references';
