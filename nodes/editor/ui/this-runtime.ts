// The runtime this editor talks to, as the unlock popup and dialog name it: the key is sealed to
// it, so the person sees its name and fingerprint (to compare with its log at start) before typing
// a key. The identity is checked by credentials/client (the fingerprint is the public key's).
import { el } from './dom';
import { vaultClient } from './vault-client';

export interface ThisRuntime {
  id: string;
  name: string;
  fingerprint: string;
  publicKey: Uint8Array;
  /** Other runtimes may use this store: check this one's approval before unlocking. */
  sharedStore: boolean;
}

let known: Promise<ThisRuntime> | null = null;

export function thisRuntime(): Promise<ThisRuntime> {
  if (!known) {
    known = vaultClient().then(async ({ api }) => {
      const identity = await api.runtime();
      const raw = await api.call('GET', 'vault/runtime');
      const sharedStore = !!raw && typeof raw === 'object' && (raw as { sharedStore?: unknown }).sharedStore === true;
      return { ...identity, sharedStore };
    });
    known.catch(() => { known = null; });
  }
  return known;
}

/** "runtime <name> (fingerprint <fp>)" as text, filled in once known. */
export function runtimeLine(prefix: string): HTMLElement {
  const line = el('p', { class: 'nr-vault-runtime-line' }, prefix, ' this runtime…');
  thisRuntime().then((rt) => {
    line.textContent = '';
    line.append(prefix, ' runtime ', el('strong', { class: 'nr-vault-runtime-name' }, rt.name),
      ' (fingerprint ', el('code', { class: 'nr-vault-runtime-fingerprint' }, rt.fingerprint), ').');
  }, () => { line.textContent = `${prefix} this runtime (its identity could not be read).`; });
  return line;
}
