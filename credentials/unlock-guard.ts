import { VaultError } from './errors';

const IAT_WINDOW_MS = 300_000;
const REPLAY_WINDOW_MS = 600_000;
const WRONG_WINDOW_MS = 60_000;
const WRONG_LIMIT = 10;

/** The stateful checks of the unlock table: freshness, replay and the wrong-secret rate limit. */
export class UnlockGuard {
  private nonces = new Map<string, number>();
  private wrong = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  checkFresh(iat: number): void {
    if (Math.abs(this.now() - iat) > IAT_WINDOW_MS) {
      throw new VaultError('expired', 'The unlock request is older than 300 s, or from the future: check the clocks of the sender and the runtime, and send a new one.');
    }
  }

  /** A nonce is remembered for 600 s from the moment it is first seen; a second use is a replay. */
  checkReplay(nonce: string): void {
    const now = this.now();
    for (const [n, at] of this.nonces) if (now - at > REPLAY_WINDOW_MS) this.nonces.delete(n);
    if (this.nonces.has(nonce)) {
      throw new VaultError('replay', 'This unlock request was used already: a sender makes a new one (new nonce) for every unlock.');
    }
    this.nonces.set(nonce, now);
  }

  /** At most 10 wrong secrets per vault in any 60 s: the eleventh attempt is refused. */
  checkRate(vaultId: string): void {
    if (this.recentWrong(vaultId).length >= WRONG_LIMIT) {
      throw new VaultError('rate_limited', `Too many wrong Vault Secret Keys for vault "${vaultId}" in the last minute: wait a minute and try again.`);
    }
  }

  recordWrong(vaultId: string): void {
    this.wrong.set(vaultId, [...this.recentWrong(vaultId), this.now()]);
  }

  private recentWrong(vaultId: string): number[] {
    const now = this.now();
    return (this.wrong.get(vaultId) ?? []).filter((t) => now - t < WRONG_WINDOW_MS);
  }
}
