/** Domain-separation labels of protocol v1. Each ends in a zero byte, appended where used. */
export const LABEL_VAULT_KEYPAIR = 'nr-vault/v1 vault-keypair';
export const LABEL_FIELD = 'nr-vault/v1 field';
export const LABEL_FIELD2 = 'nr-vault/v1 field2';
export const LABEL_DESTINATION = 'nr-vault/v1 destination';
export const LABEL_RUNTIME = 'nr-vault/v1 runtime';

export const VSK_PREFIX = 'vsk1_';
export const KEY_BYTES = 32;
export const XNONCE_BYTES = 24;
export const UNLOCK_NONCE_BYTES = 16;
export const RUNTIME_ID_BYTES = 16;
/** Local format (not on the wire): a VSK a runtime keeps sealed to its own key across restarts. */
export const LABEL_REMEMBERED = 'nr-vault/v1 remembered';

// Additions to version 1 (PROTOCOL.md): the vault signing key and runtime approvals.
export const LABEL_VAULT_SIGNING = 'nr-vault/v1 vault-signing';
export const LABEL_RUNTIME_APPROVAL = 'nr-vault/v1 runtime-approval';
/** This implementation's extension (docs/protocol-notes.md): a runtime proves it holds its key. */
export const LABEL_RUNTIME_PROOF = 'nr-vault/v1 runtime-proof';
/** This implementation's extension (docs/protocol-notes.md, "Vault export"): a signed export file. */
export const LABEL_VAULT_EXPORT = 'nr-vault/v1 vault-export';
