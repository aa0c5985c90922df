import { findReferences, placedReferences, referenceName, type PlacedReference, type VaultReference } from '../../credentials';

/** A node definition as Node-RED keeps it in the active flow configuration. */
export interface NodeDefinition {
  id: string;
  type: string;
  z?: string;
  name?: string;
  [key: string]: unknown;
}

/** Properties that hold structure, never a config node id (as in Node-RED's own diff). */
const NOT_A_CONFIG_LINK = new Set(['id', 'type', 'z', 'g', 'wires', 'x', 'y', 'w', 'h', 'name', 'info']);

/**
 * Which node definitions declare which references (in their properties or their credentials), and
 * which nodes use which config nodes. Built from the configuration Node-RED is about to start, so
 * a lookup can be checked against what the node itself holds.
 */
export class ReferenceIndex {
  private readonly refs = new Map<string, Map<string, VaultReference>>();
  private readonly placed = new Map<string, PlacedReference[]>();
  private readonly defs = new Map<string, NodeDefinition>();
  private readonly users = new Map<string, Set<string>>();

  constructor(definitions: readonly NodeDefinition[], credentialsOf: (id: string) => unknown) {
    for (const def of definitions) {
      if (typeof def?.id !== 'string') continue;
      this.defs.set(def.id, def);
      const found = findReferences(def);
      findReferences(credentialsOf(def.id), found);
      if (found.size > 0) {
        this.refs.set(def.id, found);
        this.placed.set(def.id, [...placedReferences(def), ...placedReferences(credentialsOf(def.id), 'credentials')]);
      }
    }
    for (const def of this.defs.values()) {
      for (const [prop, value] of Object.entries(def)) {
        if (NOT_A_CONFIG_LINK.has(prop) || typeof value !== 'string' || value === def.id || !this.defs.has(value)) continue;
        let set = this.users.get(value);
        if (!set) this.users.set(value, (set = new Set()));
        set.add(def.id);
      }
    }
  }

  /** Does the definition `id` hold `${<name>}` as a whole property or credential value? */
  declares(id: unknown, name: string): boolean {
    return typeof id === 'string' && this.refs.get(id)?.has(name) === true;
  }

  referencesOf(id: string): VaultReference[] {
    return [...(this.refs.get(id)?.values() ?? [])];
  }

  /** Where each reference of a definition stands (property paths). */
  placesOf(id: string): PlacedReference[] {
    return this.placed.get(id) ?? [];
  }

  /** Every node definition that declares at least one reference. */
  referencingNodes(): string[] {
    return [...this.refs.keys()];
  }

  definition(id: string): NodeDefinition | undefined {
    return this.defs.get(id);
  }

  /**
   * The nodes Node-RED restarts along with config node `id` on a deploy: those that name it in a
   * property, and theirs in turn.
   */
  usersOf(id: string): string[] {
    const out = new Set<string>();
    const todo = [id];
    while (todo.length) {
      for (const u of this.users.get(todo.pop()!) ?? []) {
        if (!out.has(u) && u !== id) {
          out.add(u);
          todo.push(u);
        }
      }
    }
    return [...out];
  }

  /** Every item referenced by some node, as `<vault>/<item>` → the references to it. */
  items(): Map<string, VaultReference[]> {
    const out = new Map<string, VaultReference[]>();
    for (const refs of this.refs.values()) {
      for (const r of refs.values()) {
        const key = `${r.vault}/${r.item}`;
        const list = out.get(key) ?? [];
        if (!list.some((x) => referenceName(x) === referenceName(r))) list.push(r);
        out.set(key, list);
      }
    }
    return out;
  }
}
