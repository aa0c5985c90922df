// The Vault page's and dialogs' styles, added once to the editor page. Colours follow Node-RED's
// theme variables where it has them.
const CSS = `
.nr-vault-dialog [hidden], .nr-vault-sidebar [hidden], .nr-vault-selector [hidden] { display: none !important; }
.nr-vault-sidebar { display: flex; flex-direction: column; height: 100%; }
.nr-vault-header { display: flex; align-items: center; padding: 6px 10px; }
.nr-vault-title { font-weight: bold; }
.nr-vault-spacer { flex: 1; }
.nr-vault-list { overflow-y: auto; flex: 1; padding: 6px 10px; }
.nr-vault-vault { border: 1px solid var(--red-ui-secondary-border-color, #ddd); border-radius: 4px; margin-bottom: 10px; }
.nr-vault-vault-head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; padding: 6px 8px; background: var(--red-ui-tertiary-background, #f7f7f7); border-bottom: 1px solid var(--red-ui-secondary-border-color, #ddd); }
.nr-vault-vault-actions { width: 100%; display: flex; gap: 4px; justify-content: flex-end; }
.nr-vault-vault-head .nr-vault-name { flex: 1; font-weight: bold; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.nr-vault-lockstate { font-size: 0.85em; padding: 0 6px; border-radius: 8px; }
.nr-vault-locked { background: #fce8d4; color: #8a4b08; }
.nr-vault-unlocked { background: #dff0d8; color: #2b662b; }
.nr-vault-items { list-style: none; margin: 0; padding: 0; }
.nr-vault-item { display: flex; align-items: center; gap: 6px; padding: 5px 8px; border-bottom: 1px solid var(--red-ui-secondary-border-color, #eee); }
.nr-vault-item:last-child { border-bottom: none; }
.nr-vault-type { width: 18px; text-align: center; color: var(--red-ui-secondary-text-color, #555); }
.nr-vault-item { flex-wrap: wrap; }
.nr-vault-item-name { flex: 1 1 130px; min-width: 130px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.nr-vault-item[data-status="empty"] .nr-vault-type, .nr-vault-item[data-status="incomplete"] .nr-vault-type { color: #a65c00; }
.nr-vault-item[data-status="needs_reauth"] .nr-vault-type { color: #a4161a; }
.nr-vault-updated { font-size: 0.8em; color: var(--red-ui-tertiary-text-color, #888); white-space: nowrap; }
.nr-vault-actions { white-space: nowrap; }
.nr-vault-status { font-size: 0.8em; padding: 1px 6px; border-radius: 8px; white-space: nowrap; }
.nr-vault-status-ok { background: #dff0d8; color: #2b662b; }
.nr-vault-status-warn { background: #ffe0b2; color: #a65c00; }
.nr-vault-status-bad { background: #f8d7da; color: #a4161a; }
.nr-vault-empty, .nr-vault-hint { color: var(--red-ui-secondary-text-color, #666); font-size: 0.9em; }
.nr-vault-empty { padding: 6px 8px; margin: 0; }
.nr-vault-error { color: var(--red-ui-text-color-error, #c00); margin: 6px 0; }
.nr-vault-waiting { color: var(--red-ui-text-color-warning, #b26b00); font-size: 0.9em; margin: 2px 0 4px 18px; }
.nr-vault-from-node { font-style: italic; }
.nr-vault-node-name { font-style: normal; font-family: monospace; background: rgba(128,128,128,0.12); padding: 0 3px; }
.nr-vault-waiting-nodes { margin: 4px 0 0 18px; }
.nr-vault-not-waiting { color: var(--red-ui-secondary-text-color, #666); }
.nr-vault-runtime-line code, .nr-vault-not-approved code { word-break: break-all; }
.nr-vault-not-approved { border-left: 3px solid var(--red-ui-text-color-error, #c00); padding: 4px 8px; margin: 8px 0; }
.nr-vault-warning { margin: 6px 8px; padding: 6px 8px; border: 1px solid #e4a000; border-left-width: 4px; background: #fff8e5; color: #5a4000; font-size: 0.9em; }
.nr-vault-ref-button { margin-left: 4px; }
.nr-vault-used-by { font-size: 0.85em; color: var(--red-ui-secondary-text-color, #555); white-space: nowrap; cursor: help; }
.nr-vault-ref-info { margin: -6px 0 10px 104px; font-size: 0.9em; color: var(--red-ui-secondary-text-color, #555); }
.nr-vault-ref-info[hidden] { display: none; }
.nr-vault-ref-missing { color: var(--red-ui-text-color-error, #c00); }
.nr-vault-dialog .form-row label { width: 130px; display: inline-block; }
.nr-vault-dialog .form-row input[type=text], .nr-vault-dialog .form-row input[type=password], .nr-vault-dialog .form-row select { width: 300px; }
.nr-vault-dialog .nr-vault-secret-row input[type=password] { width: 220px; }
.nr-vault-secret-state { margin: 0 6px; font-size: 0.9em; }
.nr-vault-secret-set { color: #2b662b; }
.nr-vault-secret-new { color: #888; }
.nr-vault-secret-clear { color: #a4161a; }
.nr-vault-custom-row input.nr-vault-custom-name { width: 140px; }
.nr-vault-custom-row input.nr-vault-custom-value { width: 200px; }
.nr-vault-custom-row select { width: 80px; }
.nr-vault-vsk-box { margin: 10px 0; padding: 10px; background: var(--red-ui-tertiary-background, #f3f3f3); border-radius: 4px; }
.nr-vault-vsk { font-size: 1.05em; word-break: break-all; user-select: all; }
.nr-vault-row { margin: 8px 0; }
.nr-vault-check { display: inline-flex; align-items: center; gap: 6px; width: auto !important; }
.nr-vault-check input { margin: 0; }
.nr-vault-required { color: #a4161a; }
.nr-vault-dialog .nr-vault-error { white-space: pre-line; }
.nr-vault-invalid input, .nr-vault-invalid select { border-color: #a4161a !important; box-shadow: 0 0 0 1px #a4161a; }
.nr-vault-selector { display: flex; align-items: center; gap: 2px; width: 100%; }
.nr-vault-selector select { flex: 1; min-width: 0; }
.nr-vault-selector-note { margin-top: 4px; }
.nr-vault-unlock-offer p { margin: 0 0 6px 0; }
`;

export function addStyles(): void {
  if (document.getElementById('nr-vault-styles')) return;
  const style = document.createElement('style');
  style.id = 'nr-vault-styles';
  style.textContent = CSS;
  document.head.appendChild(style);
}
