import { VaultError, isVaultError, type VaultErrorCode } from '../../credentials';

const STATUS: Partial<Record<VaultErrorCode, number>> = {
  bad_request: 400, secrets_required: 400, invalid_id: 400, invalid_secret_format: 400, unknown_type: 400,
  bad_seal: 400, bad_payload: 400, wrong_runtime: 400, wrong_vault: 400, expired: 400, not_approved: 400,
  forbidden: 403,
  not_found: 404, unknown_vault: 404,
  exists: 409, conflict: 409, replay: 409, tampered: 409,
  wrong_secret: 422,
  locked: 423,
  rate_limited: 429,
  store_unavailable: 503, store_locked: 503,
};

export interface JsonResponse {
  status(code: number): { json(body: unknown): void; end(): void };
}

/** Send `{ error: { code, message } }`. Anything that is not a VaultError is a 500 that says nothing inside. */
export function sendError(res: JsonResponse, err: unknown, log?: (m: string) => void): void {
  if (isVaultError(err)) {
    // secrets_required names the fields for machines too, so the editor can ask for exactly those.
    const fields = err.code === 'secrets_required' ? err.detail?.fields : undefined;
    res.status(STATUS[err.code] ?? 500).json({ error: Array.isArray(fields) ? { ...err.toJSON(), fields } : err.toJSON() });
    return;
  }
  // The detail goes to the log only by type, never its text: an unexpected error might quote input.
  log?.(`nr-vault: unexpected ${err instanceof Error ? err.name : typeof err} in an admin route`);
  res.status(500).json({ error: { code: 'internal', message: 'The vault runtime failed unexpectedly; see the Node-RED log.' } });
}

export function badRequest(message: string): VaultError {
  return new VaultError('bad_request', message);
}
