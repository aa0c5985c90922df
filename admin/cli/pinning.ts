import { CliError } from './cli-error';
import type { KnownRuntimes } from './known-runtimes';
import type { RuntimeIdentity } from './runtime-api';

/** How the runtime's key was trusted on this contact. */
export type PinState = 'pinned' | 'first_contact' | 'accepted_new' | 'fleet_file' | 'store_registry';

export interface PinPolicy {
  known: KnownRuntimes;
  acceptNewFingerprint: boolean;
  /** A pin given elsewhere (fleet file, store registry): the runtime must match it; never changed here. */
  expected?: { fingerprint: string; source: 'fleet_file' | 'store_registry'; /** the approved runtime id */ id?: string };
}

/**
 * Trust on first contact, like ssh: an unknown runtime is recorded; a known one must show the same
 * fingerprint, or is refused with `fingerprint_changed` unless the admin accepts the new one.
 */
export function checkPin(urlKey: string, runtime: RuntimeIdentity, policy: PinPolicy): PinState {
  if (policy.expected) {
    if (policy.expected.fingerprint !== runtime.fingerprint) {
      const where = policy.expected.source === 'fleet_file' ? 'the fleet file' : "the store's registry";
      throw new CliError('fingerprint_changed', `The runtime at ${urlKey} shows fingerprint ${runtime.fingerprint}, but ${where} pins ${policy.expected.fingerprint}.`);
    }
    if (policy.expected.id !== undefined && policy.expected.id !== runtime.id) {
      throw new CliError('not_approved', `The runtime at ${urlKey} is runtime ${runtime.id}, but the approval found in the store is for runtime ${policy.expected.id}.`);
    }
    return policy.expected.source;
  }
  const known = policy.known.find(urlKey);
  if (known && known.fingerprint === runtime.fingerprint) {
    if (known.id !== runtime.id) policy.known.pin({ url: urlKey, fingerprint: runtime.fingerprint, id: runtime.id });
    return 'pinned';
  }
  if (known && !policy.acceptNewFingerprint) {
    throw new CliError('fingerprint_changed', `The runtime at ${urlKey} shows fingerprint ${runtime.fingerprint}, but ${policy.known.path} pins ${known.fingerprint}: its key file was replaced, or this is another machine.`);
  }
  policy.known.pin({ url: urlKey, fingerprint: runtime.fingerprint, id: runtime.id });
  return known ? 'accepted_new' : 'first_contact';
}
