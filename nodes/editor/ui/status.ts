// How a connection's status looks: ready; orange for empty or incomplete; red for needs_reauth.
import { el } from './dom';
import type { ItemStatus } from './wire-types';

interface Look {
  text: string;
  tone: 'ok' | 'warn' | 'bad';
  hint: string;
}

const LOOK: Record<ItemStatus, Look> = {
  ready: { text: 'ready', tone: 'ok', hint: 'Every required field is set.' },
  empty: { text: 'empty', tone: 'warn', hint: 'Nothing is filled in yet: edit it to add its fields.' },
  incomplete: { text: 'incomplete', tone: 'warn', hint: 'Some required fields are missing.' },
  needs_reauth: { text: 'reconnect', tone: 'bad', hint: 'The provider refused the stored token: enter a new one.' },
};

export function statusLook(status: string): Look {
  return Object.prototype.hasOwnProperty.call(LOOK, status)
    ? LOOK[status as ItemStatus]
    : { text: String(status || 'unknown'), tone: 'warn', hint: '' };
}

export function statusBadge(status: string): HTMLElement {
  const look = statusLook(status);
  return el('span', { class: `nr-vault-status nr-vault-status-${look.tone}`, 'data-status': status, title: look.hint }, look.text);
}
