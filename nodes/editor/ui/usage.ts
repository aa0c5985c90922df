// Which nodes of the workspace use a connection: those whose `item` property names it and whose
// vault configuration points at its vault (or names none yet).

/** The vault id a node's `vault` property (a vault config node id) resolves to, if any. */
export function vaultIdOfConfig(configId: unknown): string | undefined {
  const config = typeof configId === 'string' && configId ? RED.nodes.node(configId) : null;
  return config && config.type === 'vault' && typeof config.vaultId === 'string' ? config.vaultId : undefined;
}

export function nodesUsing(vaultId: string, itemId: string): RedNode[] {
  const found: RedNode[] = [];
  const check = (n: RedNode) => {
    if (n.item !== itemId) return;
    const v = vaultIdOfConfig(n.vault);
    if (v === undefined || v === vaultId) found.push(n);
  };
  RED.nodes.eachNode(check);
  RED.nodes.eachConfig(check);
  return found;
}

/** A node's display label, as the workspace shows it. */
export function nodeLabel(n: RedNode): string {
  try {
    const l = RED.utils.getNodeLabel(n, n.type);
    if (l) return String(l);
  } catch {
    // fall through
  }
  return n.name || n.type;
}
