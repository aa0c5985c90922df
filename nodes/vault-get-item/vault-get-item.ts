import { VaultError } from '../../credentials';
import { markMasked, useDebugMask } from '../shared/debug-mask';
import { defineVaultNode } from '../shared/define-vault-node';
import { authHeader, setAuthHeader } from './auth-header';

/**
 * Get Item: reads a vault item (all its fields, or one) into a message property. The value is
 * read through the keyring on every message, so an edited item is used without a deploy.
 */
export = defineVaultNode({
  type: 'vault-get-item',
  setup(def, _node, RED) {
    const property = typeof def.property === 'string' && def.property !== '' ? def.property : 'payload';
    // On unless switched off: a debug node wired after Get Item shows the value masked.
    const maskDebug = def.maskDebug !== false;
    return {
      RED,
      property,
      field: def.mode === 'field' && typeof def.field === 'string' ? def.field : '',
      // A plain name such as "payload" is set directly: setMessageProperty parses the path on every call.
      topLevel: /^[A-Za-z_$][\w$]*$/.test(property) && property !== '__proto__',
      // "Set msg.headers.Authorization" (OAuth2 and API key connections), for an http request node next.
      setHeader: def.authHeader === true,
      maskDebug,
      releaseMask: maskDebug ? useDebugMask(RED) : undefined,
    };
  },
  onMessage(msg, item, s) {
    let value: unknown = item.fields;
    if (s.field) {
      if (!(s.field in item.fields)) throw new VaultError('not_found', `Connection "${item.name}" has no field "${s.field}".`);
      value = item.fields[s.field];
    }
    const header = s.setHeader ? authHeader(item) : undefined;
    if (s.topLevel) msg[s.property] = value;
    else s.RED.util.setMessageProperty(msg, s.property, value, true);
    if (header) setAuthHeader(msg, header);
    if (s.maskDebug) {
      // The whole item: its secret fields masked in place (the shape and plain fields stay readable);
      // one field: masked when it is a secret one.
      if (!s.field) markMasked(msg, s.property, item.secretFields);
      else if (item.secretFields.includes(s.field)) markMasked(msg, s.property);
      if (header) markMasked(msg, ['headers', header.name]);
    }
  },
  close: (s) => s.releaseMask?.(),
});
