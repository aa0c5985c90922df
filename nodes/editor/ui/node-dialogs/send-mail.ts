// Send Mail's dialog: an SMTP connection, the default recipient, TLS check and timeouts.
import { optionalSeconds, vaultNodeDefinition } from './vault-node';

export function sendMailDefinition(): RedNodeDefinition {
  return vaultNodeDefinition('vault-send-mail', {
    connectionIcon: 'fa-envelope',
    types: ['smtp'],
    defaults: {
      to: { value: '' },
      tlsVerify: { value: true },
      connectTimeout: { value: 15, validate: optionalSeconds },
      sendTimeout: { value: 60, validate: optionalSeconds },
    },
    definition: {
      inputs: 1,
      outputs: 1,
      icon: 'font-awesome/fa-envelope',
      paletteLabel: 'send mail',
      label() { return this.name || (typeof this.to === 'string' && this.to) || 'send mail'; },
    },
  });
}
