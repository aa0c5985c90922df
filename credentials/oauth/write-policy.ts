import type { ItemRecord, ItemWrite } from '../store/records';
import { isOAuthType, TOKEN_CONFIG, TOKEN_PLAIN, TOKEN_SECRETS } from './token-policy';

/**
 * What a client's write of an OAuth2 connection does to the tokens the runtime stored:
 * - a changed token URL, client, audience, scope or client authentication drops them (they were
 *   issued for the old settings), and so does a new refresh token or client secret, which also
 *   clears `needs_reauth` (the person reconnected);
 * - otherwise they are kept: editors do not know the runtime-written plain fields, and a write
 *   that replaces `plain` as a whole must not throw away a good token.
 * A write that sets a token itself (a pasted access token) is taken as it is.
 */
export function applyTokenPolicy(current: ItemRecord | undefined, write: ItemWrite): ItemWrite {
  if (!current || !isOAuthType(current.type)) return write;
  const out: ItemWrite = { ...write, plain: { ...write.plain }, secret: { ...write.secret } };
  if (!isOAuthType(write.type) || write.type !== current.type) {
    dropTokens(out);
    out.state = null;
    return out;
  }
  const configChanged = TOKEN_CONFIG.some((k) => (current.plain[k] ?? '') !== (write.plain[k] ?? ''));
  const reconnected = ['refreshToken', 'clientSecret'].some((k) => k in write.secret);
  const setsToken = TOKEN_SECRETS.some((k) => k in write.secret);
  if (configChanged || reconnected) {
    if (!setsToken) dropTokens(out);
    out.state = null;
    return out;
  }
  if (!setsToken) {
    for (const k of TOKEN_PLAIN) {
      if (!(k in out.plain) && current.plain[k] !== undefined) out.plain[k] = current.plain[k];
    }
  }
  return out;
}

function dropTokens(write: ItemWrite): void {
  for (const k of TOKEN_SECRETS) write.secret[k] = null;
  for (const k of TOKEN_PLAIN) delete write.plain[k];
}
