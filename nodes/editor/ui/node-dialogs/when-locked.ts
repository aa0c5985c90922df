// The "when the vault is locked" properties every vault node has (the runtime reads them in
// nodes/shared/vault-binding.ts): one definition and one validation, so the nodes cannot drift
// apart. A flow without them (by hand, or from an older version) is valid: the runtime uses its
// defaults.
import { WAIT_ROW_CLASS } from './binding-rows';

export const DEFAULT_WAIT_SECONDS = 30;

/** waitSeconds: a number of seconds ≥ 0 when the node waits; anything when it fails at once. */
export function validWaitSeconds(onLocked: unknown, value: unknown): boolean {
  return onLocked === 'fail' || value === undefined || (value !== '' && Number(value) >= 0);
}

export function whenLockedDefaults(): Record<'onLocked' | 'waitSeconds', RedNodeProperty> {
  return {
    onLocked: { value: 'wait' },
    waitSeconds: { value: DEFAULT_WAIT_SECONDS, validate(v) { return validWaitSeconds(this.onLocked, v); } },
  };
}

/** Wires the when-locked rows of a node's dialog: the wait row shows only for "wait". */
export function prepareWhenLocked(node: RedEditorNode): void {
  const $onLocked = $('#node-input-onLocked');
  $onLocked.on('change', function () {
    $(`.${WAIT_ROW_CLASS}`).toggle($(this).val() === 'wait');
  }).trigger('change');
  if (!node.onLocked) $onLocked.val('wait').trigger('change');
  if ($('#node-input-waitSeconds').val() === '') $('#node-input-waitSeconds').val(DEFAULT_WAIT_SECONDS);
  $('#node-input-waitSeconds').spinner({ min: 0 });
}
