// The Vault page's warning for a Node-RED without adminAuth (issue 11, High 4): anyone who can
// reach its editor can deploy a flow that reads an unlocked vault. GET vault/runtime says whether
// adminAuth is on, and whether the package's adminGuard keeps other sites' pages out.
import { el, icon } from './dom';
import { vaultClient } from './vault-client';

let answer: Promise<{ adminAuth?: boolean; adminGuard?: boolean } | null> | null = null;

/** The warning to show at the top of the Vault page, or null (adminAuth on, or the runtime did not say). */
export async function adminAuthWarning(): Promise<HTMLElement | null> {
  // Asked once per editor load: adminAuth is a settings.js setting, so it changes only with a restart.
  answer ??= vaultClient().then((c) => c.api.runtime()).catch(() => { answer = null; return null; });
  const rt = await answer;
  if (!rt || rt.adminAuth !== false) return null;
  return el('div', { class: 'nr-vault-warning', id: 'nr-vault-admin-auth-warning', role: 'alert' },
    icon('fa-exclamation-triangle'), ' ',
    el('strong', {}, 'This Node-RED has no adminAuth.'), ' ',
    'Anyone who can open this editor can deploy a flow that reads an unlocked vault. ',
    rt.adminGuard
      ? 'Pages of other web sites are kept out (adminGuard), but not other users of this machine or network.'
      : 'Other web sites\' pages in your browser may call it too (no adminGuard in httpAdminMiddleware).',
    ' Set adminAuth in settings.js (see the README, "Securing the editor").');
}
