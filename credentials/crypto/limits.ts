/**
 * Protocol v1's sizes, patterns and the messages that state them: the one place the runtime, the
 * client (CLI, editor) and the tests take them from. No imports, so the editor can bundle it alone.
 */

/** Vault, item and runtime ids (PROTOCOL.md, Encodings). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_RULE = 'use 1 to 64 letters, digits, "_" or "-"';
/** Field names of a `custom` connection (any other type names its fields in its table). */
export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** A runtime fingerprint: base64url of 32 bytes. */
export const FINGERPRINT_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Item writes (PROTOCOL.md, HTTP API): what the runtime accepts. */
export const MAX_FIELDS = 64;
export const MAX_SECRET_BYTES = 64 * 1024;
export const MAX_PLAIN_CHARS = 64 * 1024;
/** Vault and item names. */
export const MAX_NAME_CHARS = 200;
/** The body of an unlock call. */
export const UNLOCK_BODY_MAX_BYTES = 4 * 1024;

/** What a person is told when a pasted key is not a VSK, or not this vault's. */
export const MESSAGE_INVALID_SECRET_FORMAT =
  'That is not a Vault Secret Key: it must be "vsk1_" followed by 43 letters, digits, "-" or "_" (48 characters in all).';
export const MESSAGE_WRONG_SECRET = 'That is not the key of this vault: check that you pasted the key saved for it.';
