import { VaultError } from './errors';
import { NonceCache } from './nonce-cache';

const IAT_WINDOW_MS = 300_000;
const REPLAY_WINDOW_MS = 600_000;
const WRONG_WINDOW_MS = 60_000;
const WRONG_LIMIT = 10;
/** Far above any real use (one request per vault unlock), small enough to hold (about 1 MB). */
const MAX_REMEMBERED_NONCES = 10_000;

/** The stateful checks of the unlock table: freshness, replay and the wrong-secret rate limit. */
export class UnlockGuard {
  private readonly nonces = new NonceCache(REPLAY_WINDOW_MS, MAX_REMEMBERED_NONCES);
  private wrong = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  checkFresh(iat: number): void {
    if (Math.abs(this.now() - iat) > IAT_WINDOW_MS) {
      throw new VaultError('expired', 'The unlock request is older than 300 s, or from the future: check the clocks of the sender and the runtime, and send a new one.');
    }
  }

  /** A nonce remembered in the last 600 s is a replay. Only looks: `rememberNonce` stores. */
  checkReplay(nonce: string): void {
    if (this.nonces.has(nonce, this.now())) {
      throw new VaultError('replay', 'This unlock request was used already: a sender makes a new one (new nonce) for every unlock.');
    }
  }

  /**
   * Remember a nonce for 600 s. Called once a request passed every check but the key check, so
   * requests refused earlier (malformed, rate-limited) cost no memory. When 10,000 nonces are
   * remembered, new requests are refused until the oldest expire: forgetting one early would allow
   * its replay.
   */
  rememberNonce(nonce: string): void {
    if (!this.nonces.add(nonce, this.now())) {
      throw new VaultError('rate_limited', `More than ${MAX_REMEMBERED_NONCES} unlock requests in the last 600 s: wait a few minutes and try again.`);
    }
  }

  /** How many nonces are remembered (tests prove the cache stays bounded). */
  get rememberedNonces(): number {
    return this.nonces.size;
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
