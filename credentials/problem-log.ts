/**
 * Reports problems a person should hear about without flooding the log: each distinct problem
 * (its key) once, and at most one report per key per `intervalMs` when it is repeated on purpose
 * (`again`). Keys are bounded, so an attacker who makes endless distinct problems (a notification
 * per random id) cannot grow memory: past `maxKeys`, reports are counted and summarised instead.
 */
export class ProblemLog {
  private readonly seen = new Map<string, number>();
  private suppressed = 0;
  private lastSummary = 0;

  constructor(
    private readonly warn: (message: string) => void,
    private readonly options: { intervalMs?: number; maxKeys?: number; now?: () => number } = {},
  ) {}

  /** Report `message` the first time `key` is seen, then stay quiet about that key. */
  once(key: string, message: string): void {
    if (this.seen.has(key)) return;
    this.report(key, message);
  }

  /** Report `message` now, unless `key` was reported less than `intervalMs` ago. */
  again(key: string, message: string): void {
    const at = this.seen.get(key);
    if (at !== undefined && this.now() - at < (this.options.intervalMs ?? 60_000)) return;
    this.seen.delete(key);
    this.report(key, message);
  }

  private report(key: string, message: string): void {
    const now = this.now();
    if (this.seen.size >= (this.options.maxKeys ?? 1_000)) {
      this.suppressed++;
      if (now - this.lastSummary >= (this.options.intervalMs ?? 60_000)) {
        this.lastSummary = now;
        this.say(`nr-vault: ${this.suppressed} more problems of the same kinds were not logged one by one.`);
        this.suppressed = 0;
      }
      return;
    }
    this.seen.set(key, now);
    this.say(message);
  }

  private say(message: string): void {
    try {
      this.warn(message);
    } catch {
      // A broken logger must not turn a report into a crash.
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
