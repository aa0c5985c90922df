// The rows every vault node's dialog has, written once: the vault and connection rows (at the top)
// and the "when the vault is locked" rows (lower down). A node's template marks where they go
// with <div data-nr-vault-rows="connection"></div> and <div data-nr-vault-rows="when-locked"></div>;
// bindingRows() puts them in before Node-RED first builds the dialog from the template, because
// Node-RED wires #node-input-vault and the other inputs before oneditprepare runs.

// The texts live in the vault config node's catalog (nodes/locales/<lang>/vault.json, "binding"):
// a key with a namespace is used as it is by Node-RED's dialog builder.
const NS = '@nr-vault/node-red-vault/vault:vault.binding';

export interface BindingRowsOptions {
  /** Font Awesome icon of the connection row, e.g. 'fa-envelope'. */
  connectionIcon: string;
  /** The node's own catalog key for the connection row's label; default the shared "Connection". */
  connectionLabel?: string;
}

/** The wait row's class: prepareWhenLocked shows it only for "wait". */
export const WAIT_ROW_CLASS = 'nr-vault-row-wait';

function connectionRows(o: BindingRowsOptions): string {
  const icon = /^fa-[a-z0-9-]+$/.test(o.connectionIcon) ? o.connectionIcon : 'fa-key';
  const label = o.connectionLabel || `${NS}.connection`;
  return `
  <div class="form-row">
    <label for="node-input-vault"><i class="fa fa-lock"></i> <span data-i18n="${NS}.vault"></span></label>
    <input type="text" id="node-input-vault">
  </div>
  <div class="form-row">
    <label><i class="fa ${icon}"></i> <span data-i18n="${label}"></span></label>
    <input type="hidden" id="node-input-item">
    <div id="node-input-item-selector" style="display: inline-block; width: 70%"></div>
  </div>`;
}

const WHEN_LOCKED_ROWS = `
  <div class="form-row">
    <label for="node-input-onLocked"><i class="fa fa-unlock-alt"></i> <span data-i18n="${NS}.onLocked"></span></label>
    <select id="node-input-onLocked" style="width: 70%">
      <option value="wait" data-i18n="${NS}.wait"></option>
      <option value="fail" data-i18n="${NS}.fail"></option>
    </select>
  </div>
  <div class="form-row ${WAIT_ROW_CLASS}">
    <label for="node-input-waitSeconds">&nbsp;</label>
    <span data-i18n="${NS}.waitUpTo"></span>
    <input type="text" id="node-input-waitSeconds" style="width: 60px">
    <span data-i18n="${NS}.seconds"></span>
  </div>`;

/**
 * Fill the markers in the node's template (<script type="text/html" data-template-name=type>).
 * Called when the node registers: its template is already in the page then (Node-RED inserts a
 * node set's HTML before it runs the set's scripts).
 */
export function bindingRows(type: string, options: BindingRowsOptions): void {
  const template = document.querySelector(`script[type="text/html"][data-template-name="${CSS.escape(type)}"]`);
  if (!template) throw new Error(`nr-vault: the dialog template of ${type} is not in the page.`);
  const text = template.textContent || '';
  const filled = text
    .replace('<div data-nr-vault-rows="connection"></div>', connectionRows(options))
    .replace('<div data-nr-vault-rows="when-locked"></div>', WHEN_LOCKED_ROWS);
  if (filled === text) return; // already filled (the type registered twice)
  template.textContent = filled;
}
