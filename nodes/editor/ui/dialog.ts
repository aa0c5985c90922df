// A modal dialog (jQuery UI, as Node-RED's own dialogs) that also opens over a node's edit tray.
import { messageOf } from './api';
import { el, type Child } from './dom';

export interface DialogHandle {
  root: HTMLElement;
  close(): void;
  setError(text: string): void;
  setBusy(busy: boolean): void;
}

export interface DialogButton {
  text: string;
  primary?: boolean;
  id?: string;
  click(dialog: DialogHandle): void;
}

export interface DialogOptions {
  title: string;
  body: Child[];
  buttons?: DialogButton[];
  width?: number;
  closeOnEscape?: boolean;
  /** Asked before the dialog closes by Escape or its ×: false keeps it open. */
  canClose?(): boolean;
  onClose?(): void;
}

/** Titles and button texts are set as text. */
export function openDialog(opts: DialogOptions): DialogHandle {
  const error = el('div', { class: 'nr-vault-error', role: 'alert', hidden: true });
  const root = el('div', { class: 'nr-vault-dialog' }, opts.body, error);
  const $root = $(root);
  let closed = false;
  const handle: DialogHandle = {
    root,
    close() {
      if (closed) return;
      closed = true;
      $root.dialog('close');
    },
    setError(text) {
      error.textContent = text || '';
      error.hidden = !text;
    },
    setBusy(busy) {
      $root.parent().find('.ui-dialog-buttonpane button').prop('disabled', busy);
    },
  };
  $root.dialog({
    modal: true,
    autoOpen: true,
    title: opts.title,
    width: opts.width || 500,
    resizable: false,
    closeOnEscape: opts.closeOnEscape !== false,
    classes: { 'ui-dialog': 'red-ui-editor-dialog nr-vault-ui-dialog' },
    buttons: (opts.buttons || []).map((b) => ({
      text: b.text,
      id: b.id,
      class: b.primary ? 'primary' : undefined,
      click: () => b.click(handle),
    })),
    open() {
      // Above Node-RED's edit trays, so `+` in a node's dialog shows this over it.
      $root.parent().css('z-index', 2000);
      $('.ui-widget-overlay').last().css('z-index', 1999);
    },
    beforeClose() {
      if (!closed && opts.canClose && !opts.canClose()) return false;
      return true;
    },
    close() {
      closed = true;
      $root.dialog('destroy').remove();
      if (opts.onClose) opts.onClose();
    },
  });
  return handle;
}

/** Run an async action with the dialog's buttons disabled; a failure is shown in the dialog. */
export async function busy<T>(dialog: DialogHandle, action: () => Promise<T>): Promise<T | undefined> {
  dialog.setError('');
  dialog.setBusy(true);
  try {
    return await action();
  } catch (e) {
    dialog.setError(messageOf(e));
    return undefined;
  } finally {
    dialog.setBusy(false);
  }
}
