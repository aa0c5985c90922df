// Add or edit a connection: choose a type, name it, fill its fields; or create it empty to fill
// later. Secret values are sealed to the vault's public key here, before the request is made.
import { api } from './api.js';
import { newItemId, sealSecrets } from './crypto-ops.js';
import { busy, openDialog } from './dialog.js';
import { clear, el } from './dom.js';
import { buildFields } from './connection-form.js';
import { state } from './state.js';

/**
 * connectionDialog({ vault: vaultId, item?: metadata (edit), types?: [names] | null, onSaved(metadata) })
 * Opens over whatever is open (the sidebar, or a node's edit dialog).
 */
export async function connectionDialog(opts) {
  let vault;
  let types;
  try {
    [vault, types] = await Promise.all([state.vault(opts.vault), state.types()]);
  } catch (e) {
    RED.notify(el('p', {}, e.message), { type: 'error' });
    return;
  }
  if (!vault) {
    RED.notify(el('p', {}, 'That vault is not on this runtime\'s store. Deploy its vault configuration or create it on the Vault page.'), { type: 'warning' });
    return;
  }
  const editing = opts.item || null;
  const offered = editing
    ? types.filter((t) => t.name === editing.type)
    : types.filter((t) => !opts.types || opts.types.includes(t.name));
  if (offered.length === 0) {
    RED.notify(el('p', {}, `Unknown connection type "${editing ? editing.type : opts.types.join(', ')}".`), { type: 'error' });
    return;
  }

  const typeSelect = el('select', { id: 'nr-vault-conn-type', disabled: Boolean(editing) || offered.length === 1 },
    offered.map((t) => el('option', { value: t.name }, t.label)));
  const nameInput = el('input', { type: 'text', id: 'nr-vault-conn-name', maxlength: 200, value: editing ? editing.name : '' });
  const fieldsBox = el('div', { class: 'nr-vault-fields-box' });
  let form;
  const drawFields = () => {
    const type = offered.find((t) => t.name === typeSelect.value);
    form = buildFields(type, editing);
    clear(fieldsBox).appendChild(form.node);
  };
  drawFields();
  typeSelect.addEventListener('change', drawFields);

  const save = async (d, empty) => {
    const name = nameInput.value.trim();
    if (!name) return d.setError('Give the connection a name.');
    let fields;
    try {
      fields = empty ? { plain: {}, secret: {} } : form.collect();
    } catch (e) {
      return d.setError(e.message);
    }
    const saved = await busy(d, async () => {
      const id = editing ? editing.id : await newItemId();
      const body = { name, type: typeSelect.value, plain: fields.plain, secret: await sealSecrets(vault, id, fields.secret) };
      if (editing) body.ifVersion = editing.version;
      try {
        return await api.putItem(vault.id, id, body);
      } catch (e) {
        if (e.code === 'conflict') throw new Error('This connection was changed elsewhere meanwhile: close this dialog and open it again.');
        throw e;
      }
    });
    if (!saved) return;
    d.close();
    state.changed({ vault: vault.id, item: saved.id });
    if (opts.onSaved) opts.onSaved(saved);
  };

  const buttons = [{ text: 'Cancel', click: (d) => d.close() }];
  if (!editing) buttons.push({ text: 'Create an empty connection', id: 'nr-vault-conn-empty', click: (d) => save(d, true) });
  buttons.push({ text: editing ? 'Save' : 'Add', primary: true, id: 'nr-vault-conn-save', click: (d) => save(d, false) });

  openDialog({
    title: editing ? 'Edit connection' : 'Add a connection',
    width: 560,
    body: [
      el('p', { class: 'nr-vault-hint' }, 'Vault: ', el('strong', { class: 'nr-vault-name' }, vault.name),
        '. Secret values are encrypted in your browser and never shown again.'),
      el('div', { class: 'form-row' }, el('label', { for: 'nr-vault-conn-type' }, 'Type'), typeSelect),
      el('div', { class: 'form-row' }, el('label', { for: 'nr-vault-conn-name' }, 'Name'), nameInput),
      fieldsBox,
    ],
    buttons,
  });
  nameInput.focus();
}
