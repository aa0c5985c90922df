// Vault references in any node's edit dialog (core nodes and config nodes included): a vault button
// beside each password input (and beside a text input that holds a reference already) opens a picker,
// vault → connection (with + to add one) → field, that writes `${vault:<vault>/<item>/<field>}` into
// the input. Below the input, the connection's name and status stand in for the raw ids, in red when
// the connection or the field is missing, before the flow is deployed. Inputs are found as the
// dialogs are built (a MutationObserver), so this needs no change to any node.
import { formatReference, parseReference, type VaultReference } from '../../../credentials/reference';
import { messageOf } from './api';
import { connectionDialog } from './connection-dialog';
import { openDialog } from './dialog';
import { clear, el } from './dom';
import { state } from './state';
import { statusBadge } from './status';
import type { ItemMetadata } from './wire-types';

const INPUT = 'input[id^="node-input-"], input[id^="node-config-input-"]';
const DONE = 'data-nr-vault-ref';
/** Node-RED's stand-in for a stored password it does not send to the editor. */
const STORED_PASSWORD = '__PWRD__';

interface DeployedReference extends VaultReference {
  node: string;
  path: string;
}

let deployed: Promise<DeployedReference[]> | null = null;
/** One answer serves the views drawn together; a deploy can change it at any time. */
const DEPLOYED_FRESH_MS = 2_000;

/** GET vault/references: where the deployed flows hold references (the editor cannot read a stored password). */
export function deployedReferences(): Promise<DeployedReference[]> {
  if (!deployed) {
    const asked: Promise<DeployedReference[]> = new Promise((resolve) => {
      $.ajax({ method: 'GET', url: 'vault/references', cache: false, dataType: 'json' })
        .done((data) => resolve(Array.isArray(data) ? (data as DeployedReference[]) : []))
        .fail(() => resolve([]));
    });
    deployed = asked;
    setTimeout(() => { if (deployed === asked) deployed = null; }, DEPLOYED_FRESH_MS);
  }
  return deployed;
}

/** The node whose dialog is on top of the edit stack. */
function editedNode(): RedNode | undefined {
  const stack = RED.editor?.getEditStack?.() ?? [];
  return stack[stack.length - 1];
}

function fieldOf(input: HTMLInputElement): string {
  return input.id.replace(/^node-(config-)?input-/, '');
}

/** The reference an input stands for: its text, or for a stored password what the runtime says. */
async function referenceOf(input: HTMLInputElement, node: RedNode | undefined): Promise<VaultReference | undefined> {
  const typed = parseReference(input.value);
  if (typed || input.value !== STORED_PASSWORD || !node) return typed;
  const path = `credentials.${fieldOf(input)}`;
  return (await deployedReferences()).find((r) => r.node === node.id && r.path === path);
}

/** What the info line says about a reference: the connection's name and status, or what is missing. */
async function describe(ref: VaultReference): Promise<{ missing: boolean; content: (Node | string)[] }> {
  const missing = (text: string) => ({ missing: true, content: [el('i', { class: 'fa fa-exclamation-triangle' }), ' ', text] });
  try {
    const vault = await state.vault(ref.vault);
    if (!vault) return missing('This vault is not on this runtime\'s store.');
    const item = (await state.items(ref.vault)).find((i) => i.id === ref.item);
    if (!item) return missing(`Vault "${vault.name}" has no such connection (it was deleted?).`);
    const fields = [...Object.keys(item.plain), ...item.secretFields];
    if (!fields.includes(ref.field)) return missing(`Connection "${item.name}" has no field "${ref.field}".`);
    return { missing: false, content: [el('i', { class: 'fa fa-lock' }), ' ', el('strong', { class: 'nr-vault-ref-name' }, item.name), ` · ${ref.field} · vault ${vault.name} `, statusBadge(item.status)] };
  } catch (e) {
    return missing(messageOf(e));
  }
}

/** Redraws the info line; `current()` is false when a newer redraw started meanwhile. */
async function showInfo(info: HTMLElement, ref: VaultReference | undefined, current: () => boolean): Promise<void> {
  const said = ref ? await describe(ref) : undefined;
  if (!current()) return;
  clear(info);
  info.hidden = !said;
  info.classList.toggle('nr-vault-ref-missing', said?.missing === true);
  if (said) info.append(...said.content);
}

/** vault → connection (+) → field; resolves with the chosen reference, or undefined. */
function pick(current: VaultReference | undefined): Promise<VaultReference | undefined> {
  return new Promise((resolve) => {
    const vaultSelect = el('select', { id: 'nr-vault-ref-vault' });
    const itemSelect = el('select', { id: 'nr-vault-ref-item' });
    const fieldSelect = el('select', { id: 'nr-vault-ref-field' });
    let items: ItemMetadata[] = [];
    let chosen: VaultReference | undefined;
    const fillFields = (wanted?: string) => {
      clear(fieldSelect);
      const item = items.find((i) => i.id === itemSelect.value);
      if (!item) return;
      const fields = [...item.secretFields, ...Object.keys(item.plain).filter((f) => !item.secretFields.includes(f))];
      for (const f of fields) fieldSelect.append(el('option', { value: f }, f));
      fieldSelect.value = wanted && fields.includes(wanted) ? wanted : fields.includes('password') ? 'password' : fields[0] ?? '';
    };
    const fillItems = async (wantedItem?: string, wantedField?: string) => {
      clear(itemSelect);
      items = vaultSelect.value ? await state.items(vaultSelect.value) : [];
      for (const i of items) itemSelect.append(el('option', { value: i.id }, `${i.name} (${i.type})`));
      if (wantedItem && items.some((i) => i.id === wantedItem)) itemSelect.value = wantedItem;
      fillFields(wantedField);
    };
    const add = el('button', { type: 'button', class: 'red-ui-button', id: 'nr-vault-ref-add', title: 'Add a connection to this vault' }, el('i', { class: 'fa fa-plus' }));
    add.addEventListener('click', () => {
      if (!vaultSelect.value) return;
      void connectionDialog({ vault: vaultSelect.value, onSaved: (saved) => { state.changed({ vault: vaultSelect.value, item: saved.id }); void fillItems(saved.id); } });
    });
    vaultSelect.addEventListener('change', () => void fillItems());
    itemSelect.addEventListener('change', () => fillFields());
    const row = (label: string, ...c: (HTMLElement | string)[]) => el('div', { class: 'form-row' }, el('label', {}, label), ...c);
    const dialog = openDialog({
      title: 'Use a vault connection',
      body: [
        el('p', {}, 'The node gets the value when it starts, and again whenever the connection changes; flows and exports keep only the reference.'),
        row('Vault', vaultSelect), row('Connection', itemSelect, ' ', add), row('Field', fieldSelect),
      ],
      buttons: [
        { text: 'Cancel', click: (d) => d.close() },
        {
          text: 'Use', primary: true, id: 'nr-vault-ref-use',
          click: (d) => {
            if (!vaultSelect.value || !itemSelect.value || !fieldSelect.value) return d.setError('Choose a vault, a connection and a field.');
            chosen = { vault: vaultSelect.value, item: itemSelect.value, field: fieldSelect.value };
            d.close();
          },
        },
      ],
      onClose: () => resolve(chosen),
    });
    state.vaults().then(async (vaults) => {
      for (const v of vaults) vaultSelect.append(el('option', { value: v.id }, v.name));
      if (current && vaults.some((v) => v.id === current.vault)) vaultSelect.value = current.vault;
      if (!vaults.length) dialog.setError('There is no vault on this runtime yet: create one on the Vault page.');
      await fillItems(current?.item, current?.field);
    }, (e: unknown) => dialog.setError(messageOf(e)));
  });
}

function decorate(input: HTMLInputElement): void {
  if (input.hasAttribute(DONE)) return;
  const isPassword = input.type === 'password';
  if (!isPassword && !parseReference(input.value)) return;
  input.setAttribute(DONE, '1');
  const node = editedNode();
  const button = el('button', { type: 'button', class: 'red-ui-button nr-vault-ref-button', title: 'Use a vault connection', 'data-for': input.id },
    el('i', { class: 'fa fa-lock' }));
  const info = el('div', { class: 'nr-vault-ref-info', 'data-for': input.id, hidden: true });
  input.after(button);
  (input.closest('.form-row') ?? button).after(info);
  let drawn = 0;
  const refresh = () => {
    const mine = ++drawn;
    void referenceOf(input, node).then((ref) => showInfo(info, ref, () => mine === drawn));
  };
  input.addEventListener('change', refresh);
  input.addEventListener('input', refresh);
  const stop = state.onChange(() => {
    if (!input.isConnected) stop();
    else refresh();
  });
  button.addEventListener('click', () => {
    void referenceOf(input, node).then(pick).then((ref) => {
      if (!ref) return;
      input.value = formatReference(ref);
      // A native event: jQuery's trigger() would not reach listeners added without jQuery.
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
  });
  // The stored password's stand-in arrives with the credentials, after the dialog is built.
  for (const ms of [0, 300, 1500]) setTimeout(refresh, ms);
}

let observing = false;

/** Watch for edit dialogs and decorate their inputs. Deploys may move references: ask again then. */
export function installReferencePicker(): void {
  if (observing) return;
  observing = true;
  // Node-RED fills a dialog's inputs after building it (credentials come from a request): text
  // inputs are looked at again a moment later, when their value may be a reference.
  const later = (input: HTMLInputElement) => {
    decorate(input);
    if (input.type !== 'password') for (const ms of [300, 1500]) setTimeout(() => input.isConnected && decorate(input), ms);
  };
  const scan = (root: ParentNode) => root.querySelectorAll<HTMLInputElement>(INPUT).forEach(later);
  new MutationObserver((records) => {
    for (const r of records) {
      r.addedNodes.forEach((n) => {
        if (n instanceof HTMLInputElement && n.matches(INPUT)) later(n);
        else if (n instanceof Element) scan(n);
      });
    }
  }).observe(document.body, { childList: true, subtree: true });
  // A deploy moves references: ask again, and let the Vault page recount who uses what.
  // (Node-RED says "deployed" before the flows have started: ask a moment later.)
  RED.comms.subscribe('notification/runtime-deploy', () => {
    setTimeout(() => {
      deployed = null;
      state.changed();
    }, 1_000);
  });
}
