import { tokenFor, type AdminCredentials } from './admin-auth';
import { checkPin, type PinPolicy, type PinState } from './pinning';
import { RuntimeApi, type RuntimeIdentity } from './runtime-api';
import { urlKey } from './runtime-url';

export interface Connection {
  api: RuntimeApi;
  runtime: RuntimeIdentity;
  pin: PinState;
}

/** Log in if needed, read the runtime's identity (protocol 1, fingerprint of its key) and check its pin. */
export async function connect(base: URL, credentials: AdminCredentials, pins: PinPolicy, timeoutMs: number): Promise<Connection> {
  const token = await tokenFor(base, credentials, timeoutMs);
  const api = new RuntimeApi(base, { token, timeoutMs });
  const runtime = await api.runtime();
  const pin = checkPin(urlKey(base), runtime, pins);
  return { api, runtime, pin };
}

export function describePin(pin: PinState, knownPath: string): string {
  switch (pin) {
    case 'pinned': return `matches the pin in ${knownPath}`;
    case 'first_contact': return `first contact: pinned in ${knownPath}`;
    case 'accepted_new': return `changed; the new fingerprint was accepted and pinned in ${knownPath}`;
    case 'fleet_file': return 'matches the pin in the fleet file';
    case 'store_registry': return "matches the store's registry";
  }
}
