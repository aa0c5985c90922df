// Which nodes of the workspace use a connection: those whose `item` property names it and whose
// vault configuration points at its vault (or names none yet), and those that hold a
// `${vault:…}` reference to it (in the workspace, or deployed in a password the editor cannot read).
import { parseReference } from '../../../credentials/reference';
import { deployedReferences } from './reference-picker';

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

/** Properties of an editor node that are the editor's own, not the flow's. */
const NOT_FLOW_DATA = new Set(['users', 'wires', 'dirty', 'changed', 'valid', 'selected']);

/** Does a node hold a reference to the item in a property or a credential the editor has? */
function referencesItem(n: RedNode, vaultId: string, itemId: string): boolean {
  const check = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') {
      const r = parseReference(v);
      return r !== undefined && r.vault === vaultId && r.item === itemId;
    }
    if (depth > 4 || !v || typeof v !== 'object') return false;
    return Object.keys(v).some((k) => !k.startsWith('_') && !NOT_FLOW_DATA.has(k) && check((v as Record<string, unknown>)[k], depth + 1));
  };
  return check(n, 0);
}

/** Every node that uses a connection: through Get Item and the like, or through references. */
export async function nodesUsingAll(vaultId: string, itemId: string): Promise<RedNode[]> {
  const found = new Map<string, RedNode>(nodesUsing(vaultId, itemId).map((n) => [n.id, n]));
  const check = (n: RedNode) => {
    if (!found.has(n.id) && referencesItem(n, vaultId, itemId)) found.set(n.id, n);
  };
  RED.nodes.eachNode(check);
  RED.nodes.eachConfig(check);
  for (const r of await deployedReferences()) {
    if (r.vault !== vaultId || r.item !== itemId || found.has(r.node)) continue;
    const n = RED.nodes.node(r.node);
    if (n) found.set(n.id, n);
  }
  return [...found.values()];
}
