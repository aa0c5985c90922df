/**
 * The one error class of the vault. `code` is a closed union: the codes PROTOCOL.md names on the
 * wire plus the few the nodes report. Messages must never carry a secret value or a VSK.
 */
export const ERROR_CODES = [
  // protocol: ids, formats, requests
  'bad_request', 'forbidden', 'invalid_id', 'invalid_secret_format', 'not_found', 'exists', 'conflict',
  'secrets_required',
  // protocol: unlock table
  'unknown_vault', 'bad_seal', 'bad_payload', 'wrong_runtime', 'wrong_vault', 'expired', 'replay',
  'rate_limited', 'wrong_secret',
  // protocol additions: runtime approvals
  'not_approved',
  // reading items
  'locked', 'tampered', 'empty_connection', 'incomplete_connection', 'needs_reauth', 'unknown_type',
  'wrong_type',
  // stores and runtime files
  'store_unavailable', 'store_locked', 'store_corrupt', 'key_file_invalid',
  // nodes talking to the outside
  'queue_full', 'auth_failed', 'connection_failed', 'rejected', 'send_failed', 'timeout',
  'twilio_error', 'token_error', 'invalid_message', 'attachment_refused', 'message_too_large',
] as const;

export type VaultErrorCode = (typeof ERROR_CODES)[number];

export class VaultError extends Error {
  readonly code: VaultErrorCode;
  /** Extra, non-secret detail for machines (e.g. a Twilio error code). */
  readonly detail?: Record<string, unknown>;

  constructor(code: VaultErrorCode, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VaultError';
    this.code = code;
    if (options?.detail) this.detail = options.detail;
  }

  toJSON(): { code: VaultErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isVaultError(e: unknown, code?: VaultErrorCode): e is VaultError {
  return e instanceof VaultError && (code === undefined || e.code === code);
}

/** Quote a piece of bad input for an error message, shortened so a message never grows unbounded. */
export function quote(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
