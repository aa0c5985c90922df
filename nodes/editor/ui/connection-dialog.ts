// Add or edit a connection: choose a type, name it, fill its fields; or create it empty to fill
// later. Secret values are sealed to the vault's public key in the browser (vault-actions.ts) before any request.
import { MAX_NAME_CHARS } from '../../../credentials/crypto/limits';
import { failureOf, messageOf } from './api';
import { busy, openDialog, type DialogButton, type DialogHandle } from './dialog';
import { clear, el } from './dom';
import { buildFields, type CollectedFields, type ConnectionForm } from './connection-form';
import { problemsText, type Checked, type Problem } from './form-problems';
import { state } from './state';
import { saveConnection } from './vault-actions';
import type { ConnectionType, ItemMetadata, VaultInfo } from './wire-types';

export interface ConnectionDialogOptions {
  vault: string;
  /** The connection to edit; without it the dialog adds one. */
  item?: ItemMetadata;
  /** The type names offered when adding; null or absent: every type. */
  types?: string[] | null;
  onSaved?(saved: ItemMetadata): void;
}

/** Opens over whatever is open (the sidebar, or a node's edit dialog). */
export async function connectionDialog(opts: ConnectionDialogOptions): Promise<void> {
  let vault: VaultInfo | undefined;
  let types: ConnectionType[];
  try {
    [vault, types] = await Promise.all([state.vault(opts.vault), state.types()]);
  } catch (e) {
    RED.notify(el('p', {}, messageOf(e)), { type: 'error' });
    return;
  }
  if (!vault) {
    RED.notify(el('p', {}, 'That vault is not on this runtime\'s store. Deploy its vault configuration or create it on the Vault page.'), { type: 'warning' });
    return;
  }
  const theVault = vault;
  const editing = opts.item || null;
  const wanted = opts.types;
  const offered = editing
    ? types.filter((t) => t.name === editing.type)
    : types.filter((t) => !wanted || wanted.includes(t.name));
  if (offered.length === 0) {
    RED.notify(el('p', {}, `Unknown connection type "${editing ? editing.type : (wanted || []).join(', ')}".`), { type: 'error' });
    return;
  }

  const typeSelect = el('select', { id: 'nr-vault-conn-type', disabled: Boolean(editing) || offered.length === 1 },
    offered.map((t) => el('option', { value: t.name }, t.label)));
  const nameInput = el('input', { type: 'text', id: 'nr-vault-conn-name', maxlength: MAX_NAME_CHARS, value: editing ? editing.name : '' });
  const fieldsBox = el('div', { class: 'nr-vault-fields-box' });
  let form: ConnectionForm;
  const drawFields = () => {
    const type = offered.find((t) => t.name === typeSelect.value) || offered[0];
    form = buildFields(type, editing);
    clear(fieldsBox).appendChild(form.node);
  };
  drawFields();
  typeSelect.addEventListener('change', drawFields);

  /** The one check before a save: the name and every field, all problems at once. */
  const check = (empty: boolean): Checked<{ name: string; fields: CollectedFields }> => {
    const name = nameInput.value.trim();
    const problems: Problem[] = name ? [] : [{ field: 'name', message: 'Give the connection a name.' }];
    const fields: Checked<CollectedFields> = empty ? { ok: true, value: { plain: {}, secret: {} } } : form.collect();
    if (!fields.ok) problems.push(...fields.problems);
    return problems.length || !fields.ok ? { ok: false, problems } : { ok: true, value: { name, fields: fields.value } };
  };

  let lastFailure: readonly string[] | null = null;
  /** The person's message for a 400 secrets_required: what changed needs which secrets again. */
  const secretsAgain = (e: unknown, typeName: string, all: ConnectionType[]): string => {
    const fields = (e as { fields?: readonly string[] }).fields ?? [];
    lastFailure = fields;
    const type = all.find((t) => t.name === typeName);
    const labels = fields.map((f) => `"${type?.fields.find((x) => x.name === f)?.label ?? f}"`);
    const named = labels.length ? labels.join(' and ') : 'the secret fields';
    return `Changing the server of this connection needs ${named} again: the stored secret${fields.length === 1 ? ' is' : 's are'} bound to the old server, so that nobody can send ${fields.length === 1 ? 'it' : 'them'} elsewhere by changing only the server. Type ${fields.length === 1 ? 'it' : 'them'} in and save again.`;
  };

  const save = async (d: DialogHandle, empty: boolean) => {
    lastFailure = null;
    const checked = check(empty);
    nameInput.closest('.form-row')?.classList.toggle('nr-vault-invalid', !checked.ok && checked.problems.some((p) => p.field === 'name'));
    form.mark(checked.ok ? [] : checked.problems.flatMap((p) => (p.field && p.field !== 'name' ? [p.field] : [])));
    if (!checked.ok) return d.setError(problemsText(checked.problems));
    const { name, fields } = checked.value;
    const saved = await busy(d, async () => {
      try {
        return await saveConnection(theVault, editing, { name, type: typeSelect.value, plain: fields.plain, secret: fields.secret });
      } catch (e) {
        if (failureOf(e)?.code === 'conflict') throw new Error('This connection was changed elsewhere meanwhile: close this dialog and open it again.', { cause: e });
        // The stored secrets are bound to the old server: changing it needs them typed again.
        if (failureOf(e)?.code === 'secrets_required') throw new Error(secretsAgain(e, typeSelect.value, types), { cause: e });
        throw e;
      }
    });
    if (!saved) {
      // secrets_required: open and mark the fields the runtime named, for the person to type again.
      if (lastFailure) form.demand(lastFailure);
      return;
    }
    d.close();
    state.changed({ vault: theVault.id, item: saved.id });
    if (opts.onSaved) opts.onSaved(saved);
  };

  const buttons: DialogButton[] = [{ text: 'Cancel', click: (d) => d.close() }];
  if (!editing) buttons.push({ text: 'Create an empty connection', id: 'nr-vault-conn-empty', click: (d) => void save(d, true) });
  buttons.push({ text: editing ? 'Save' : 'Add', primary: true, id: 'nr-vault-conn-save', click: (d) => void save(d, false) });

  openDialog({
    title: editing ? 'Edit connection' : 'Add a connection',
    width: 560,
    body: [
      el('p', { class: 'nr-vault-hint' }, 'Vault: ', el('strong', { class: 'nr-vault-name' }, theVault.name),
        '. Secret values are encrypted in your browser and never shown again.'),
      el('div', { class: 'form-row' }, el('label', { for: 'nr-vault-conn-type' }, 'Type'), typeSelect),
      el('div', { class: 'form-row' }, el('label', { for: 'nr-vault-conn-name' }, 'Name', el('span', { class: 'nr-vault-required', title: 'required' }, ' *')), nameInput),
      fieldsBox,
    ],
    buttons,
  });
  nameInput.focus();
}
