// Get Item's dialog: any connection; the whole item or one field of it into a message property.
import type { ItemMetadata } from '../wire-types';
import { vaultNodeDefinition } from './vault-node';

/**
 * Fills the field dropdown from an item: its plain fields and its secret field names. Keeps the
 * configured field even if the item does not list it (it may be set later). Names as text only.
 */
function fillFields(item: ItemMetadata | undefined, current: string): void {
  const select = $('#node-input-field').empty();
  const names = item ? Object.keys(item.plain || {}).concat(item.secretFields || []) : [];
  if (current && !names.includes(current)) names.push(current);
  for (const name of names.sort()) select.append($('<option>').val(name).text(name));
  if (current) select.val(current);
}

const chosenField = () => String($('#node-input-field').val() || '');

export function getItemDefinition(): RedNodeDefinition {
  return vaultNodeDefinition('vault-get-item', {
    connectionIcon: 'fa-key',
    connectionLabel: 'vault-get-item.label.item',
    types: null,
    defaults: {
      mode: { value: 'item' },
      field: { value: '', validate(v) { return this.mode !== 'field' || !!v; } },
      property: { value: 'payload', required: true, validate: RED.validators.typedInput({ type: 'msg' }) },
      maskDebug: { value: true },
      authHeader: { value: false },
    },
    definition: {
      inputs: 1,
      outputs: 1,
      icon: 'vault-get-item.svg',
      paletteLabel() { return this._('vault-get-item.paletteLabel'); },
      label() {
        if (this.name) return this.name;
        return this.mode === 'field' && typeof this.field === 'string' && this.field
          ? this._('vault-get-item.label.getField', { field: this.field })
          : this._('vault-get-item.paletteLabel');
      },
      labelStyle() { return this.name ? 'node_label_italic' : ''; },
      outputLabels() { return `msg.${typeof this.property === 'string' && this.property ? this.property : 'payload'}`; },
    },
    selector: (node) => ({
      onChange: (_id, item) => fillFields(item, chosenField()),
      onRefresh: (_id, item) => fillFields(item, chosenField() || (typeof node.field === 'string' ? node.field : '')),
    }),
    prepare(node) {
      // Masking is on unless switched off: a node from an older flow has no maskDebug at all.
      $('#node-input-maskDebug').prop('checked', node.maskDebug !== false);
      $('#node-input-property').typedInput({ types: ['msg'] });
      $('#node-input-mode').on('change', function () {
        $('.vault-get-item-row-field').toggle($(this).val() === 'field');
      }).trigger('change');
    },
  });
}
