// The parts of the Node-RED editor's globals (RED, jQuery and jQuery UI as Node-RED ships them)
// that this package's editor code uses: small on purpose, so a new use is a conscious addition.

/** The browser crypto bundle (resources/vault-crypto.js, global NrVaultCrypto). Types only. */
type NrVaultCryptoModule = typeof import('../browser-crypto');

interface JQueryXhr {
  status: number;
  responseJSON?: unknown;
  done(fn: (data: unknown, textStatus: string, xhr: JQueryXhr) => void): JQueryXhr;
  fail(fn: (xhr: JQueryXhr) => void): JQueryXhr;
}

interface JQueryAjaxSettings {
  method: string;
  url: string;
  cache?: boolean;
  dataType?: 'json';
  contentType?: string;
  data?: string;
  headers?: Record<string, string>;
}

interface JQueryUiDialogButton {
  text: string;
  id?: string;
  class?: string;
  click(): void;
}

interface JQueryUiDialogOptions {
  modal?: boolean;
  autoOpen?: boolean;
  title?: string;
  width?: number;
  resizable?: boolean;
  closeOnEscape?: boolean;
  classes?: Record<string, string>;
  buttons?: JQueryUiDialogButton[];
  open?(): void;
  beforeClose?(): boolean;
  close?(): void;
}

interface JQueryElements {
  readonly length: number;
  [index: number]: HTMLElement;
  val(): string | number | string[] | undefined;
  val(value: string | number): this;
  text(value: string): this;
  attr(name: string): string | undefined;
  prop(name: string, value: boolean | string): this;
  focus(): this;
  on(events: string, handler: (this: HTMLElement, event: Event) => void): this;
  off(events: string, handler: (this: HTMLElement, event: Event) => void): this;
  trigger(event: string): this;
  toggle(show: boolean): this;
  show(): this;
  hide(): this;
  empty(): this;
  append(...content: (JQueryElements | HTMLElement | string)[]): this;
  is(selector: string): boolean;
  parent(): JQueryElements;
  find(selector: string): JQueryElements;
  last(): JQueryElements;
  css(name: string, value: string | number): this;
  dialog(options: JQueryUiDialogOptions): this;
  dialog(method: 'close' | 'destroy'): this;
  remove(): this;
  /** jQuery UI's spinner, as Node-RED's numeric inputs use it. */
  spinner(options: { min?: number; max?: number }): this;
  /** Node-RED's typedInput widget. */
  typedInput(options: { types: string[] }): this;
}

interface JQueryStatic {
  (target: string | Element | JQueryElements | Document): JQueryElements;
  ajax(settings: JQueryAjaxSettings): JQueryXhr;
}

declare const $: JQueryStatic;

/** An editor node (or config node) as RED.nodes gives it: its properties are the flow's. */
interface RedNode {
  id: string;
  type: string;
  name?: string;
  [property: string]: unknown;
}

interface RedNotification {
  close(): void;
}

interface RedNotifyButton {
  text: string;
  class?: string;
  id?: string;
  click(): void;
}

interface RedNotifyOptions {
  type?: 'warning' | 'error' | 'success' | 'compact';
  fixed?: boolean;
  timeout?: number;
  buttons?: RedNotifyButton[];
}

interface RedSidebarTab {
  id: string;
  label: string;
  name: string;
  iconClass: string;
  content: HTMLElement;
  enableOnEdit?: boolean;
  onchange?(): void;
}

/** A node as its edit dialog and label functions see it (`this`): its properties, and `_` for its texts. */
interface RedEditorNode extends RedNode {
  _(key: string, substitutions?: Record<string, string>): string;
}

interface RedNodeProperty {
  value: unknown;
  required?: boolean;
  /** A config node type: the property holds that config node's id. */
  type?: string;
  validate?(this: RedEditorNode, value: unknown): boolean;
}

/** What RED.nodes.registerType takes, as far as this package's nodes use it. */
interface RedNodeDefinition {
  category: string;
  color?: string;
  defaults: Record<string, RedNodeProperty>;
  inputs?: number;
  outputs?: number;
  icon?: string;
  paletteLabel?: string | ((this: RedEditorNode) => string);
  label?(this: RedEditorNode): string;
  labelStyle?(this: RedEditorNode): string;
  outputLabels?(this: RedEditorNode, index: number): string;
  oneditprepare?(this: RedEditorNode): void;
  oneditsave?(this: RedEditorNode): void;
  oneditcancel?(this: RedEditorNode): void;
  oneditdelete?(this: RedEditorNode): void;
}

type RedValidator = (this: RedEditorNode, value: unknown) => boolean;

interface RedEditor {
  nrVault: import('./nr-vault-api').NrVaultApi;
  validators: {
    regex(re: RegExp): RedValidator;
    typedInput(options: { type: string }): RedValidator;
  };
  plugins: { registerPlugin(id: string, definition: { type: string; onadd?(): void }): void };
  notify(message: string | HTMLElement, options?: RedNotifyOptions): RedNotification;
  comms: { subscribe(topic: string, handler: (topic: string, message: unknown) => void): void };
  nodes: {
    registerType(type: string, definition: RedNodeDefinition): void;
    node(id: string): RedNode | null;
    eachNode(fn: (node: RedNode) => void): void;
    eachConfig(fn: (node: RedNode) => void): void;
  };
  utils: { getNodeLabel(node: RedNode, defaultLabel?: string): unknown };
  sidebar: { addTab(tab: RedSidebarTab): void; show(id: string): void };
  actions: { add(name: string, handler: () => void): void };
  /** The edit dialogs open now, innermost last (Node-RED 4.1 and 5). */
  editor?: { getEditStack?(): RedNode[] };
  events?: { on?(event: string, handler: () => void): void };
}

declare const RED: RedEditor;

interface Window {
  NrVaultCrypto?: NrVaultCryptoModule;
}
