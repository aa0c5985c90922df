/**
 * The nonces of accepted unlock requests, each for `windowMs` from when it was first seen.
 *
 * Lookups are one Map access. Entries are inserted in time order, so expired ones are dropped from
 * the front (amortised O(1)), never by scanning the whole cache. The size is capped: when `capacity`
 * nonces are inside the window, `add` refuses a new one instead of forgetting an old one early,
 * which would let that old request be replayed.
 */
export class NonceCache {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.seenAt.size;
  }

  has(nonce: string, now: number): boolean {
    this.expire(now);
    return this.seenAt.has(nonce);
  }

  /** False when the cache is full of nonces still inside the window. */
  add(nonce: string, now: number): boolean {
    this.expire(now);
    if (this.seenAt.has(nonce)) return true;
    if (this.seenAt.size >= this.capacity) return false;
    this.seenAt.set(nonce, now);
    return true;
  }

  private expire(now: number): void {
    for (const [nonce, at] of this.seenAt) {
      // Insertion order is time order; a clock that went back only keeps entries longer.
      if (now - at <= this.windowMs) break;
      this.seenAt.delete(nonce);
    }
  }
}
