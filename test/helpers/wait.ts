/** Resolve when `check` returns true; reject with `what` after `ms`, so a failure reads as one. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 3_000, every = 10): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(every);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The time `p` took, in ms, with its outcome. */
export async function timed<T>(p: Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const start = performance.now();
  const [result] = await Promise.allSettled([p]);
  return { ms: performance.now() - start, result };
}
