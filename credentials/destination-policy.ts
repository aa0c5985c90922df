import { destinationFields, sameDestination } from './crypto';
import { VaultError } from './errors';
import { fieldSpec, findType } from './types';
import type { ItemRecord, ItemWrite } from './store/records';

/**
 * A write that changes where an item sends its secrets (a destination field, or the type) makes
 * every stored format-2 secret of it stop opening, and a format-1 secret must not follow it there
 * either: a `vault.write` user without the VSK could otherwise point a token URL or a mail host at
 * their own server and have the runtime send the secret to it. So such a write must carry each
 * stored secret a person entered anew (or remove it with null); otherwise it is
 * `secrets_required`, naming them. Stored secrets the runtime wrote (tokens), or that the new type
 * does not have, are removed: they were issued for the old destination.
 */
export function requireSecretsOnMove(current: ItemRecord | undefined, write: ItemWrite): ItemWrite {
  if (!current || sameDestination(current, write)) return write;
  const type = findType(write.type);
  const out: ItemWrite = { ...write, secret: { ...write.secret } };
  const missing: string[] = [];
  for (const name of Object.keys(current.secret)) {
    if (Object.prototype.hasOwnProperty.call(write.secret, name)) continue;
    const spec = type && fieldSpec(type, name, 'secret');
    if (!spec || spec.runtimeWritten) out.secret[name] = null;
    else missing.push(name);
  }
  if (missing.length > 0) {
    const what = current.type === write.type ? destinationFields(write.type).join(', ') : 'the type';
    throw new VaultError(
      'secrets_required',
      `Changing where connection "${current.id}" sends its secrets (${what}) needs ${missing.join(', ')} entered again: the stored values stay bound to the old destination.`,
      { detail: { fields: missing } },
    );
  }
  return out;
}
