// One definition of what every node that uses a vault connection has in the editor: the
// properties (name, vault, item, when locked), the shared rows of its dialog and one connection
// selector per open dialog, made in oneditprepare and ended however the dialog closes.
import { connectionSelector, type ConnectionSelector, type ConnectionSelectorOptions } from '../connection-selector';
import { bindingRows, type BindingRowsOptions } from './binding-rows';
import { prepareWhenLocked, whenLockedDefaults } from './when-locked';

export interface VaultNodeSpec extends BindingRowsOptions {
  /** The node's own properties (name, vault, item and the when-locked ones are added). */
  defaults: Record<string, RedNodeProperty>;
  /** Accepted connection types, or null for any. */
  types: string[] | null;
  /** What the node's definition has besides (label, icon, inputs...): no oneditprepare/save/cancel. */
  definition: Omit<RedNodeDefinition, 'defaults' | 'category' | 'oneditprepare' | 'oneditsave' | 'oneditcancel' | 'oneditdelete'>;
  /** The node's own dialog wiring, after the shared rows are wired. */
  prepare?(node: RedEditorNode): void;
  /** The selector's callbacks (e.g. to fill a field list from the chosen connection). */
  selector?(node: RedEditorNode): Pick<ConnectionSelectorOptions, 'onChange' | 'onRefresh'>;
}

/** The open dialogs' selectors, by node id (a node's dialog opens at most once at a time). */
const selectors = new Map<string, ConnectionSelector>();

function endSelector(this: RedEditorNode): void {
  const s = selectors.get(this.id);
  selectors.delete(this.id);
  if (s) s.destroy();
}

export function vaultNodeDefinition(type: string, spec: VaultNodeSpec): RedNodeDefinition {
  bindingRows(type, spec);
  return {
    category: 'vault',
    color: '#E2D96E',
    ...spec.definition,
    defaults: {
      name: { value: '' },
      vault: { value: '', type: 'vault', required: true },
      item: { value: '', required: true },
      ...spec.defaults,
      ...whenLockedDefaults(),
    },
    oneditprepare() {
      endSelector.call(this);
      selectors.set(this.id, connectionSelector('#node-input-item-selector', {
        vaultInput: '#node-input-vault',
        types: spec.types,
        value: typeof this.item === 'string' ? this.item : '',
        input: '#node-input-item',
        ...(spec.selector ? spec.selector(this) : {}),
      }));
      prepareWhenLocked(this);
      if (spec.prepare) spec.prepare(this);
    },
    oneditsave: endSelector,
    oneditcancel: endSelector,
    oneditdelete: endSelector,
  };
}

/** A timeout left empty (or missing from an older flow) means the default, as the runtime reads it. */
export function optionalSeconds(value: unknown): boolean {
  return value === undefined || value === '' || Number(value) > 0;
}
