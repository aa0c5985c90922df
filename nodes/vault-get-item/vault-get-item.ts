import { VaultError, type DecryptedItem } from '../../credentials';
import type { NodeRedWithAdmin } from '../runtime';
import type { NodeDef, RuntimeNode } from '../shared/node-red';
import { VaultBinding } from '../shared/vault-binding';
import { markMasked, useDebugMask } from '../shared/debug-mask';
import { authHeader, setAuthHeader } from './auth-header';

/**
 * Get Item: reads a vault item (all its fields, or one) into a message property. The value is
 * read through the keyring on every message, so an edited item is used without a deploy.
 */
export = function register(RED: NodeRedWithAdmin): void {
  RED.nodes.registerType('vault-get-item', function GetItemNode(this: RuntimeNode, def: NodeDef) {
    RED.nodes.createNode(this, def);
    const itemId = typeof def.item === 'string' ? def.item : '';
    const field = def.mode === 'field' && typeof def.field === 'string' ? def.field : '';
    const property = typeof def.property === 'string' && def.property !== '' ? def.property : 'payload';
    // A plain name such as "payload" is set directly: setMessageProperty parses the path on every call.
    const topLevel = /^[A-Za-z_$][\w$]*$/.test(property) && property !== '__proto__';
    // "Set msg.headers.Authorization" (OAuth2 and API key connections), for an http request node next.
    const setHeader = def.authHeader === true;
    // On unless switched off: a debug node wired after Get Item shows the value masked.
    const maskDebug = def.maskDebug !== false;
    const releaseMask = maskDebug ? useDebugMask(RED) : undefined;
    const binding = VaultBinding.create(RED, this, def);

    this.on('input', (msg, send, done) => {
      if (!binding) {
        done(new VaultError('not_found', 'This node has no vault: choose one in its properties.'));
        return;
      }
      const deliver = (item: DecryptedItem): void => {
        let value: unknown = item.fields;
        if (field) {
          if (!(field in item.fields)) throw new VaultError('not_found', `Connection "${item.name}" has no field "${field}".`);
          value = item.fields[field];
        }
        const header = setHeader ? authHeader(item) : undefined;
        if (topLevel) msg[property] = value;
        else RED.util.setMessageProperty(msg, property, value, true);
        if (header) setAuthHeader(msg, header);
        if (maskDebug) {
          markMasked(msg, property);
          if (header) markMasked(msg, ['headers', header.name]);
        }
        binding.succeeded();
        send(msg);
        done();
      };
      const fail = (e: unknown): void => {
        binding.failed(e);
        done(e instanceof Error ? e : new Error(String(e)));
      };
      // An unlocked, cached item is used at once: no promise per message (see the Get Item benchmark).
      let now: DecryptedItem | undefined;
      try {
        now = binding.readyItemNow(itemId);
      } catch (e) {
        fail(e);
        return;
      }
      if (now) {
        try {
          deliver(now);
        } catch (e) {
          fail(e);
        }
        return;
      }
      binding.readyItem(itemId).then(deliver).catch(fail);
    });


    this.on('close', (_removed, closed) => {
      binding?.close();
      releaseMask?.();
      closed();
    });
  });
};
