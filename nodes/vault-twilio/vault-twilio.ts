import { defineVaultNode } from '../shared/define-vault-node';
import { secondsProp, stringProp } from '../shared/node-props';
import { DEFAULT_TWILIO_BASE_URL, sendTwilioMessage } from './twilio-client';
import { twilioRequestFromMessage } from './twilio-message';

/**
 * Twilio: sends msg.payload to msg.to as an SMS or WhatsApp message through a `twilio` vault
 * connection. The connection is read through the keyring for every message, so an edited
 * connection is used without a deploy.
 */
export = defineVaultNode({
  type: 'vault-twilio',
  connectionTypes: ['twilio'],
  setup: (def) => ({
    defaults: {
      to: stringProp(def.to),
      channel: def.channel === 'whatsapp' ? ('whatsapp' as const) : ('sms' as const),
      statusCallback: stringProp(def.statusCallback) || undefined,
    },
    settings: { baseUrl: stringProp(def.baseUrl) || DEFAULT_TWILIO_BASE_URL, timeoutMs: secondsProp(def.timeout, 30) },
  }),
  async onMessage(msg, item, { defaults, settings }) {
    const request = twilioRequestFromMessage(msg, { ...defaults, from: item.fields.from ?? '' });
    const account = { accountSid: item.fields.accountSid ?? '', authToken: item.fields.authToken ?? '' };
    const sent = await sendTwilioMessage(account, request, settings);
    msg.sid = sent.sid;
    msg.twilio = sent;
  },
});
