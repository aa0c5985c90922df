/**
 * Vault references: `${vault:<vaultId>/<itemId>/<field>}` as the whole value of a node property or
 * credential. Node-RED hands the part between `${` and `}` (the "name", `vault:<v>/<i>/<f>`) to
 * `RED.util.getSetting` when it creates a node; nodes/runtime/ answers those lookups.
 * Pure text handling, shared by the runtime, the editor and the tests.
 */
import { FIELD_NAME_PATTERN, ID_PATTERN } from './crypto/limits';

/** One field of one vault item. */
export interface VaultReference {
  vault: string;
  item: string;
  field: string;
}

// The protocol's id and field-name patterns without their ^…$ anchors, to compose with.
const unanchored = (re: RegExp) => re.source.slice(1, -1);
const ID = unanchored(ID_PATTERN);
const FIELD = unanchored(FIELD_NAME_PATTERN);
const NAME_RE = new RegExp(`^vault:(${ID})/(${ID})/(${FIELD})$`);
const VALUE_RE = new RegExp(`^\\$\\{vault:(${ID})/(${ID})/(${FIELD})\\}$`);

/** The name Node-RED looks up for a reference, `vault:<v>/<i>/<f>`; undefined if `name` is not one. */
export function parseReferenceName(name: unknown): VaultReference | undefined {
  if (typeof name !== 'string') return undefined;
  const m = NAME_RE.exec(name);
  return m ? { vault: m[1], item: m[2], field: m[3] } : undefined;
}

/** A property value that is a whole reference, `${vault:<v>/<i>/<f>}`; undefined otherwise. */
export function parseReference(value: unknown): VaultReference | undefined {
  if (typeof value !== 'string' || !value.startsWith('${vault:')) return undefined;
  const m = VALUE_RE.exec(value);
  return m ? { vault: m[1], item: m[2], field: m[3] } : undefined;
}

export function referenceName(ref: VaultReference): string {
  return `vault:${ref.vault}/${ref.item}/${ref.field}`;
}

/** The text that stands in a property: `${vault:<v>/<i>/<f>}`. */
export function formatReference(ref: VaultReference): string {
  return `\${${referenceName(ref)}}`;
}

/** `<vault>/<item>`: the key of an item. */
export function itemKey(ref: { vault: string; item: string }): string {
  return `${ref.vault}/${ref.item}`;
}

/** Where a reference stands in a node: a property path such as `credentials.password` or `rules.0.to`. */
export interface PlacedReference extends VaultReference {
  path: string;
}

/** Every reference in a value with its path, at any depth (as Node-RED's own substitution walks it). */
export function placedReferences(value: unknown, path = '', out: PlacedReference[] = [], depth = 0): PlacedReference[] {
  if (depth > 32) return out;
  if (typeof value === 'string') {
    const ref = parseReference(value);
    if (ref) out.push({ ...ref, path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => placedReferences(v, path ? `${path}.${i}` : String(i), out, depth + 1));
  } else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    for (const k of Object.keys(value)) placedReferences((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out, depth + 1);
  }
  return out;
}

/**
 * Every reference in a value, at any depth (objects and arrays, as Node-RED's own substitution
 * walks them), with no duplicates.
 */
export function findReferences(value: unknown, found = new Map<string, VaultReference>(), depth = 0): Map<string, VaultReference> {
  if (depth > 32) return found;
  if (typeof value === 'string') {
    const ref = parseReference(value);
    if (ref) found.set(referenceName(ref), ref);
  } else if (Array.isArray(value)) {
    for (const v of value) findReferences(v, found, depth + 1);
  } else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    for (const k of Object.keys(value)) findReferences((value as Record<string, unknown>)[k], found, depth + 1);
  }
  return found;
}
