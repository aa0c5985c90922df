// How a connection's status looks: ready; orange for empty or incomplete; red for needs_reauth.
import { el } from './dom.js';

const LOOK = {
  ready: { text: 'ready', tone: 'ok', hint: 'Every required field is set.' },
  empty: { text: 'empty', tone: 'warn', hint: 'Nothing is filled in yet: edit it to add its fields.' },
  incomplete: { text: 'incomplete', tone: 'warn', hint: 'Some required fields are missing.' },
  needs_reauth: { text: 'reconnect', tone: 'bad', hint: 'The provider refused the stored token: enter a new one.' },
};

export function statusLook(status) {
  return LOOK[status] || { text: String(status || 'unknown'), tone: 'warn', hint: '' };
}

export function statusBadge(status) {
  const look = statusLook(status);
  return el('span', { class: `nr-vault-status nr-vault-status-${look.tone}`, 'data-status': status, title: look.hint }, look.text);
}
