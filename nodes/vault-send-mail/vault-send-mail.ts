import { defineVaultNode } from '../shared/define-vault-node';
import { secondsProp, stringProp } from '../shared/node-props';
import { mailFromMessage } from './mail-message';
import { checkMessageSize, maxMessageBytes } from './message-size';
import { sendMail, smtpConnection } from './smtp-transport';

/**
 * Send Mail: sends msg as an e-mail through an `smtp` vault connection. The connection is read
 * through the keyring for every message, so an edited connection is used without a deploy.
 */
export = defineVaultNode({
  type: 'vault-send-mail',
  connectionTypes: ['smtp'],
  setup: (def, _node, RED) => ({
    to: stringProp(def.to),
    maxBytes: maxMessageBytes(RED.settings.vault),
    settings: {
      connectTimeoutMs: secondsProp(def.connectTimeout, 15),
      sendTimeoutMs: secondsProp(def.sendTimeout, 60),
      tlsVerify: def.tlsVerify !== false && def.tlsVerify !== 'false',
    },
  }),
  async onMessage(msg, item, { to, maxBytes, settings }) {
    const conn = smtpConnection(item.fields);
    const mail = mailFromMessage(msg, { from: conn.from, to });
    checkMessageSize(mail, maxBytes);
    const sent = await sendMail(conn, mail, settings);
    msg.messageId = sent.messageId;
    msg.response = sent.response;
    msg.accepted = sent.accepted;
    msg.rejected = sent.rejected;
  },
});
