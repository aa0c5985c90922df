// The definitions the nodes' HTML files register (RED.nodes.registerType(type,
// RED.nrVault.nodeDefinition(type))): their dialog logic lives here, type-checked, not in the HTML.
import { getItemDefinition } from './get-item';
import { sendMailDefinition } from './send-mail';
import { twilioDefinition } from './twilio';
import { vaultConfigDefinition } from './vault-config';

const DEFINITIONS: Record<string, () => RedNodeDefinition> = {
  vault: vaultConfigDefinition,
  'vault-get-item': getItemDefinition,
  'vault-send-mail': sendMailDefinition,
  'vault-twilio': twilioDefinition,
};

export function nodeDefinition(type: string): RedNodeDefinition {
  const make = Object.prototype.hasOwnProperty.call(DEFINITIONS, type) ? DEFINITIONS[type] : undefined;
  if (!make) throw new Error(`nr-vault: no editor definition for the node type "${type}".`);
  return make();
}
