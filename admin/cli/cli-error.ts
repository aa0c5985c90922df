import { ERROR_CODES, InputCancelled, isVaultError, type VaultErrorCode } from '../../credentials';

/** Codes of the command line itself, beside the protocol's codes that runtimes answer with. */
export const CLI_CODES = [
  'usage', 'unreachable', 'unauthorized', 'forbidden', 'protocol_mismatch', 'fingerprint_changed',
  'fingerprint_mismatch', 'no_secret', 'no_password', 'ambiguous_vault', 'unexpected_answer',
  'fleet_file_invalid', 'known_runtimes_invalid', 'file_unreadable', 'file_unsafe', 'cancelled', 'internal',
] as const;

export type CliErrorCode = VaultErrorCode | (typeof CLI_CODES)[number];

/** What the command line reports: a code (the protocol's, or its own) and one sentence to act on. */
export class CliError extends Error {
  constructor(readonly code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

export function isKnownCode(code: unknown): code is CliErrorCode {
  return typeof code === 'string' && ((ERROR_CODES as readonly string[]).includes(code) || (CLI_CODES as readonly string[]).includes(code));
}

/** Any failure as a CliError; an unexpected one says only its type, never its text (it might quote input). */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  if (isVaultError(e)) return new CliError(e.code, e.message, { cause: e });
  if (e instanceof InputCancelled) return new CliError('cancelled', 'Cancelled at the prompt.', { cause: e });
  return new CliError('internal', `nr-vault failed unexpectedly (${e instanceof Error ? e.name : typeof e}).`, { cause: e });
}
