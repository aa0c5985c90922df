// Twilio's dialog: a Twilio connection, SMS or WhatsApp, the default recipient, callback and API base.
import { optionalSeconds, vaultNodeDefinition } from './vault-node';

export function twilioDefinition(): RedNodeDefinition {
  return vaultNodeDefinition('vault-twilio', {
    connectionIcon: 'fa-commenting',
    types: ['twilio'],
    defaults: {
      channel: { value: 'sms' },
      to: { value: '' },
      statusCallback: { value: '' },
      baseUrl: { value: 'https://api.twilio.com', required: true, validate: RED.validators.regex(/^https?:\/\/[^\s?#]+$/) },
      timeout: { value: 30, validate: optionalSeconds },
    },
    definition: {
      inputs: 1,
      outputs: 1,
      icon: 'font-awesome/fa-commenting',
      paletteLabel: 'twilio',
      label() {
        if (this.name) return this.name;
        const to = typeof this.to === 'string' && this.to ? ` ${this.to}` : '';
        return (this.channel === 'whatsapp' ? 'whatsapp' : 'sms') + to;
      },
    },
  });
}
