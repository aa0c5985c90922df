import { tokenFor, type AdminCredentials } from './admin-auth';
import { checkPin, type PinPolicy, type PinState } from './pinning';
import { RuntimeApi, type RuntimeIdentity } from './runtime-api';
import { urlKey } from './runtime-url';
import type { Scope } from './scopes';

export interface Connection {
  api: RuntimeApi;
  runtime: RuntimeIdentity;
  pin: PinState;
}

export interface ConnectOptions {
  /** The permissions the command needs; a login asks for these only. None: no credentials are sent. */
  scopes: readonly Scope[];
  /** A last check of the runtime before any credential is sent (approve: the admin confirms the fingerprint). */
  confirm?: (runtime: RuntimeIdentity, pin: PinState) => Promise<void>;
}

/**
 * Check the runtime first, then send credentials: its public identity (protocol 1, a fingerprint
 * that is its key's), proof that it holds that key, and its pin. Only a runtime that passed all
 * three receives a password (for a token limited to `scopes`) or a token.
 */
export async function connect(
  base: URL, credentials: AdminCredentials, pins: PinPolicy, timeoutMs: number, options: ConnectOptions,
): Promise<Connection> {
  const anonymous = new RuntimeApi(base, { timeoutMs });
  const runtime = await anonymous.runtime();
  await anonymous.proveIdentity(runtime);
  const pin = checkPin(urlKey(base), runtime, pins);
  await options.confirm?.(runtime, pin);
  const token = await tokenFor(base, credentials, timeoutMs, options.scopes);
  return { api: new RuntimeApi(base, { token, timeoutMs }), runtime, pin };
}

export function describePin(pin: PinState, knownPath: string): string {
  switch (pin) {
    case 'pinned': return `matches the pin in ${knownPath}`;
    case 'first_contact': return `first contact: pinned in ${knownPath}`;
    case 'accepted_new': return `changed; the new fingerprint was accepted and pinned in ${knownPath}`;
    case 'fleet_file': return 'matches the pin in the fleet file';
    case 'store_registry': return "matches the store's registry and its approval";
  }
}
