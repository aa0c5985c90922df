import { VaultError } from '../../credentials';
import type { NodeRedWithAdmin } from '../runtime';
import type { NodeDef, RuntimeNode } from '../shared/node-red';
import { asError, secondsProp, stringProp } from '../shared/node-props';
import { VaultBinding } from '../shared/vault-binding';
import { mailFromMessage } from './mail-message';
import { checkMessageSize, maxMessageBytes } from './message-size';
import { sendMail, smtpConnection, type SendSettings } from './smtp-transport';

/**
 * Send Mail: sends msg as an e-mail through an `smtp` vault connection. The connection is read
 * through the keyring for every message, so an edited connection is used without a deploy.
 */
export = function register(RED: NodeRedWithAdmin): void {
  RED.nodes.registerType('vault-send-mail', function SendMailNode(this: RuntimeNode, def: NodeDef) {
    RED.nodes.createNode(this, def);
    const itemId = stringProp(def.item);
    const to = stringProp(def.to);
    const settings: SendSettings = {
      connectTimeoutMs: secondsProp(def.connectTimeout, 15),
      sendTimeoutMs: secondsProp(def.sendTimeout, 60),
      tlsVerify: def.tlsVerify !== false && def.tlsVerify !== 'false',
    };
    const binding = VaultBinding.create(RED, this, def);
    const maxBytes = maxMessageBytes(RED.settings.vault);

    this.on('input', (msg, send, done) => {
      if (!binding) {
        done(new VaultError('not_found', 'This node has no vault: choose one in its properties.'));
        return;
      }
      binding
        .readyItem(itemId, ['smtp'])
        .then((item) => {
          const conn = smtpConnection(item.fields);
          const mail = mailFromMessage(msg, { from: conn.from, to });
          checkMessageSize(mail, maxBytes);
          return sendMail(conn, mail, settings);
        })
        .then((sent) => {
          msg.messageId = sent.messageId;
          msg.response = sent.response;
          msg.accepted = sent.accepted;
          msg.rejected = sent.rejected;
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
