// The fields of one connection as form rows: plain fields editable, secret fields as
// "set / not set" with Replace and Clear (a stored secret is never shown, the browser never has it).
import { FIELD_NAME_PATTERN } from '../../../credentials/crypto/limits';
import { el, icon } from './dom';
import type { Checked, Problem } from './form-problems';
import type { ConnectionType, FieldKind, FieldSpec, ItemMetadata } from './wire-types';

/** What a form holds, as PUT wants it: secret values still in clear (the caller seals them). */
export interface CollectedFields {
  plain: Record<string, string>;
  secret: Record<string, string | null>;
}

export interface ConnectionForm {
  node: HTMLElement;
  /** The fields as PUT wants them, or every problem found in them. */
  collect(): Checked<CollectedFields>;
  /** Mark the rows of these fields (and only those) as wrong. */
  mark(fields: readonly string[]): void;
  /** Open these secret fields for a new value (the runtime wants them sent again) and mark them. */
  demand(fields: readonly string[]): void;
}

/** One row's value: a secret's `undefined` keeps what is stored, `null` clears it. */
interface RowValue {
  name: string;
  kind: FieldKind;
  value: string | null | undefined;
}

interface Row {
  node: HTMLElement;
  collect(): RowValue | null;
  /** The field's name (a custom row's as typed now). */
  name(): string;
  /** A secret row: switch to typing a new value. */
  open?(): void;
}

export function buildFields(type: ConnectionType, item: ItemMetadata | null): ConnectionForm {
  const node = el('div', { class: 'nr-vault-fields' });
  const rows: Row[] = [];
  const storedPlain: Record<string, string> = (item && item.plain) || {};
  const storedSecret = new Set<string>((item && item.secretFields) || []);

  function addCustom(name: string, kind: FieldKind, value: string, isSet: boolean, fresh: boolean): void {
    const row = customRow(name, kind, value, isSet, fresh, () => {
      rows.splice(rows.indexOf(row), 1);
      row.node.remove();
    });
    rows.push(row);
    const addButton = node.querySelector('.nr-vault-add-field');
    node.insertBefore(row.node, addButton ? addButton.parentNode : null);
  }

  const editable = type.fields.filter((f) => !f.runtimeWritten);
  for (const f of editable) {
    const row = f.kind === 'plain' ? plainRow(f, storedPlain[f.name]) : secretRow(f, storedSecret.has(f.name));
    rows.push(row);
    node.appendChild(row.node);
  }
  if (type.openFields) {
    for (const [k, v] of Object.entries(storedPlain)) addCustom(k, 'plain', v, false, false);
    for (const k of storedSecret) addCustom(k, 'secret', '', true, false);
    const add = el('button', { type: 'button', class: 'red-ui-button nr-vault-add-field' }, icon('fa-plus'), ' Add a field');
    add.addEventListener('click', () => addCustom('', 'plain', '', false, true));
    node.appendChild(el('div', { class: 'nr-vault-row' }, add));
  }

  const mark = (fields: readonly string[]) => {
    for (const r of rows) r.node.classList.toggle('nr-vault-invalid', fields.includes(r.name()));
  };
  return {
    node,
    mark,
    demand(fields) {
      for (const r of rows) if (fields.includes(r.name())) r.open?.();
      mark(fields);
    },
    collect() {
      const plain: Record<string, string> = {};
      const secret: Record<string, string | null> = {};
      // Runtime-written plain values (e.g. a token's expiry) are kept: `plain` replaces as a whole.
      for (const f of type.fields) if (f.runtimeWritten && f.kind === 'plain' && f.name in storedPlain) plain[f.name] = storedPlain[f.name];
      const seen = new Set<string>();
      const problems: Problem[] = [];
      for (const r of rows) {
        const got = r.collect();
        if (!got) continue;
        if (!FIELD_NAME_PATTERN.test(got.name)) {
          problems.push({ field: got.name, message: `"${got.name}" is not a field name: use letters, digits, "_" or "-", starting with a letter.` });
          continue;
        }
        if (seen.has(got.name)) {
          problems.push({ field: got.name, message: `The field "${got.name}" is there twice.` });
          continue;
        }
        seen.add(got.name);
        if (got.kind === 'plain') { if (got.value) plain[got.name] = got.value; }
        else if (got.value !== undefined) secret[got.name] = got.value;
      }
      // A custom field renamed or removed: clear its stored secret.
      if (type.openFields) for (const k of storedSecret) if (!seen.has(k)) secret[k] = null;
      return problems.length ? { ok: false, problems } : { ok: true, value: { plain, secret } };
    },
  };
}

function label(f: FieldSpec): HTMLElement {
  return el('label', { for: inputId(f.name) }, f.label || f.name, f.required ? el('span', { class: 'nr-vault-required', title: 'required' }, ' *') : null);
}

function inputId(name: string): string {
  return `nr-vault-field-${name}`;
}

function plainRow(f: FieldSpec, value: string | undefined): Row {
  let input: HTMLInputElement | HTMLSelectElement;
  if (f.options) {
    const select = el('select', { id: inputId(f.name), 'data-field': f.name },
      el('option', { value: '' }, f.default !== undefined ? `(default: ${f.default})` : ''),
      f.options.map((o) => el('option', { value: o }, o)));
    select.value = value !== undefined && f.options.includes(value) ? value : '';
    input = select;
  } else {
    input = el('input', { type: 'text', id: inputId(f.name), 'data-field': f.name, placeholder: f.default || '', value: value || '' });
  }
  return {
    node: el('div', { class: 'form-row' }, label(f), input),
    collect: () => ({ name: f.name, kind: 'plain', value: input.value }),
    name: () => f.name,
  };
}

/** A secret field: a password box for a new value; when one is stored, "set" with Replace and Clear. */
function secretRow(f: FieldSpec, isSet: boolean): Row {
  const input = el('input', { type: 'password', id: inputId(f.name), 'data-field': f.name, autocomplete: 'new-password', spellcheck: 'false' });
  const status = el('span', { class: 'nr-vault-secret-state' });
  const replace = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small' }, 'Replace');
  const clearBtn = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small' }, 'Clear');
  const undo = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small' }, 'Keep');
  let mode: 'keep' | 'new' | 'clear' = isSet ? 'keep' : 'new';
  const draw = () => {
    input.hidden = mode !== 'new';
    status.textContent = mode === 'keep' ? 'set' : mode === 'clear' ? 'will be cleared' : isSet ? '' : 'not set';
    status.className = `nr-vault-secret-state nr-vault-secret-${mode === 'keep' ? 'set' : mode}`;
    replace.hidden = mode !== 'keep';
    clearBtn.hidden = mode !== 'keep';
    undo.hidden = !isSet || mode === 'keep';
    if (mode !== 'new') input.value = '';
  };
  replace.addEventListener('click', () => { mode = 'new'; draw(); input.focus(); });
  clearBtn.addEventListener('click', () => { mode = 'clear'; draw(); });
  undo.addEventListener('click', () => { mode = 'keep'; draw(); });
  draw();
  return {
    node: el('div', { class: 'form-row nr-vault-secret-row', 'data-secret': f.name }, label(f), input, status, ' ', replace, clearBtn, undo),
    name: () => f.name,
    open() { if (mode !== 'new') { mode = 'new'; draw(); } },
    collect() {
      if (mode === 'clear') return { name: f.name, kind: 'secret', value: null };
      if (mode === 'new' && input.value !== '') return { name: f.name, kind: 'secret', value: input.value };
      return { name: f.name, kind: 'secret', value: undefined };
    },
  };
}

/** A row of a custom connection: field name, plain or secret, value. */
function customRow(name: string, kind: FieldKind, value: string, isSet: boolean, fresh: boolean, remove: () => void): Row {
  const nameInput = el('input', { type: 'text', class: 'nr-vault-custom-name', placeholder: 'field name', value: name, maxlength: 64 });
  const kindSelect = el('select', { class: 'nr-vault-custom-kind' }, el('option', { value: 'plain' }, 'plain'), el('option', { value: 'secret' }, 'secret'));
  kindSelect.value = kind;
  const valueInput = el('input', { type: kind === 'secret' ? 'password' : 'text', class: 'nr-vault-custom-value', value: value || '', autocomplete: 'new-password',
    placeholder: isSet ? 'set: type to replace' : '' });
  kindSelect.addEventListener('change', () => { valueInput.type = kindSelect.value === 'secret' ? 'password' : 'text'; });
  if (!fresh) { nameInput.readOnly = true; kindSelect.disabled = true; }
  const del = el('button', { type: 'button', class: 'red-ui-button red-ui-button-small', title: 'Remove this field' }, icon('fa-times'));
  del.addEventListener('click', remove);
  return {
    node: el('div', { class: 'form-row nr-vault-custom-row' }, nameInput, kindSelect, valueInput, del),
    name: () => nameInput.value.trim(),
    collect() {
      const n = nameInput.value.trim();
      if (!n && !valueInput.value) return null;
      if (kindSelect.value === 'plain') return { name: n, kind: 'plain', value: valueInput.value };
      return { name: n, kind: 'secret', value: valueInput.value !== '' ? valueInput.value : undefined };
    },
  };
}
