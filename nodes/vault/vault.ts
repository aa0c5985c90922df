import { attachVault, installVaultReferences, type NodeRedWithAdmin } from '../runtime';
import type { NodeDef, RuntimeNode } from '../shared/node-red';

/** The `vault` config node: a name and the id of a vault in this runtime's store. */
export = function register(RED: NodeRedWithAdmin): void {
  // Before any flow starts: `${vault:…}` references in other nodes' properties and credentials.
  const references = installVaultReferences(RED);
  // The runtime starts with the package, so the admin API answers before any flow uses a vault.
  void attachVault(RED).then((rt) => references?.attach(rt)).catch(() => undefined);

  RED.nodes.registerType('vault', function VaultConfigNode(this: RuntimeNode & { vaultId: string }, def: NodeDef) {
    RED.nodes.createNode(this, def);
    this.name = typeof def.name === 'string' ? def.name : '';
    this.vaultId = typeof def.vaultId === 'string' ? def.vaultId : '';
  });
};
