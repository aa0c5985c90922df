import { VaultError } from '../../credentials';
import type { NodeRedWithAdmin } from '../runtime';
import type { NodeDef, RuntimeNode } from '../shared/node-red';
import { asError, secondsProp, stringProp } from '../shared/node-props';
import { VaultBinding } from '../shared/vault-binding';
import { DEFAULT_TWILIO_BASE_URL, sendTwilioMessage, type TwilioClientSettings } from './twilio-client';
import { twilioRequestFromMessage, type TwilioMessageDefaults } from './twilio-message';

/**
 * Twilio: sends msg.payload to msg.to as an SMS or WhatsApp message through a `twilio` vault
 * connection. The connection is read through the keyring for every message, so an edited
 * connection is used without a deploy.
 */
export = function register(RED: NodeRedWithAdmin): void {
  RED.nodes.registerType('vault-twilio', function TwilioNode(this: RuntimeNode, def: NodeDef) {
    RED.nodes.createNode(this, def);
    const itemId = stringProp(def.item);
    const defaults: Omit<TwilioMessageDefaults, 'from'> = {
      to: stringProp(def.to),
      channel: def.channel === 'whatsapp' ? 'whatsapp' : 'sms',
      statusCallback: stringProp(def.statusCallback) || undefined,
    };
    const settings: TwilioClientSettings = {
      baseUrl: stringProp(def.baseUrl) || DEFAULT_TWILIO_BASE_URL,
      timeoutMs: secondsProp(def.timeout, 30),
    };
    const binding = VaultBinding.create(RED, this, def);

    this.on('input', (msg, send, done) => {
      if (!binding) {
        done(new VaultError('not_found', 'This node has no vault: choose one in its properties.'));
        return;
      }
      binding
        .readyItem(itemId, ['twilio'])
        .then((item) => {
          const request = twilioRequestFromMessage(msg, { ...defaults, from: item.fields.from ?? '' });
          const account = { accountSid: item.fields.accountSid ?? '', authToken: item.fields.authToken ?? '' };
          return sendTwilioMessage(account, request, settings);
        })
        .then((sent) => {
          msg.sid = sent.sid;
          msg.twilio = sent;
          binding.succeeded();
          send(msg);
          done();
        })
        .catch((e: unknown) => {
          binding.failed(e);
          done(asError(e));
        });
    });

    this.on('close', (_removed, closed) => {
      binding?.close();
      closed();
    });
  });
};
