/** What the readiness check needs of a started Node-RED (process or embedded). */
export interface Probe {
  readonly url: string;
  readonly users: readonly { username: string }[];
  readonly hasExited: boolean;
  readonly log: string;
  token(): Promise<string>;
}

/**
 * The one readiness check: the admin API answers (GET auth/login), and, when the package is
 * loaded, the vault runtime has started (GET vault/runtime answers once its store is open and its
 * keys are loaded; signed in as the first user when adminAuth is on, 403 counting as started).
 */
export async function waitUntilReady(nr: Probe, options: { timeoutMs: number; vault: boolean }): Promise<void> {
  const end = Date.now() + options.timeoutMs;
  let last: string;
  for (;;) {
    try {
      const login = await fetch(`${nr.url}auth/login`, { signal: AbortSignal.timeout(5_000) });
      if (login.status !== 200) {
        last = `GET auth/login: ${login.status}`;
      } else if (!options.vault) {
        return;
      } else {
        const headers: Record<string, string> = nr.users.length > 0 ? { authorization: `Bearer ${await nr.token()}` } : {};
        const rt = await fetch(`${nr.url}vault/runtime`, { headers, signal: AbortSignal.timeout(30_000) });
        if (rt.status === 200 || rt.status === 403) return;
        last = `GET vault/runtime: ${rt.status} ${await rt.text()}`;
      }
    } catch (e) {
      last = String(e);
    }
    if (nr.hasExited) throw new Error(`Node-RED exited before it was ready (${last}):\n${nr.log}`);
    if (Date.now() > end) throw new Error(`Node-RED was not ready within ${options.timeoutMs} ms (${last}):\n${nr.log.slice(-5000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
