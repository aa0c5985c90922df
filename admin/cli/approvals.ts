import type { PinState } from './pinning';

/**
 * Pins that stand for an identity the admin checked: an existing pin in known_runtimes, or a
 * fingerprint the admin wrote into a fleet file. A first contact (trust on first use) is not one.
 * (Signing and checking approvals: credentials/client/approvals.ts.)
 */
export function pinApproves(pin: PinState): boolean {
  return pin === 'pinned' || pin === 'fleet_file';
}
