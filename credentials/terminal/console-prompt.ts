import { isVaultError } from '../errors';
import { InputCancelled, canReadHidden, readHiddenLine, type HiddenInput } from './hidden-input';
import type { UnlockNeeded, VaultRuntime } from '../vault-runtime';

export interface ConsolePromptOptions {
  input?: HiddenInput;
  output?: NodeJS.WritableStream;
  /** Wrong keys accepted before giving up on this request (the next node that needs the vault asks again). */
  maxAttempts?: number;
  /** Where to say that the prompt cannot run (Node-RED's log). */
  warn?: (message: string) => void;
}

const DEFAULT_ATTEMPTS = 3;
/** After a skip or too many wrong keys, the console stays quiet about that vault for a while. */
const QUIET_AFTER_DECLINE_MS = 60_000;

/**
 * With `vault: { prompt: "console" }` and a terminal on stdin: the first time a node needs a locked
 * vault, ask for its VSK on the console (hidden input), check it with the keyring and unlock.
 * One question at a time; a wrong key asks again, at most `maxAttempts` times. Returns a stop function.
 */
export function startConsolePrompt(runtime: VaultRuntime, options: ConsolePromptOptions = {}): () => void {
  if (runtime.settings.prompt !== 'console') return () => undefined;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  if (!canReadHidden(input)) {
    options.warn?.('nr-vault: vault.prompt is "console" but stdin is not a terminal: unlock vaults with nr-vault unlock or from the Vault page.');
    return () => undefined;
  }
  const prompt = new ConsolePrompt(runtime, input, output, options.maxAttempts ?? DEFAULT_ATTEMPTS);
  runtime.on('unlock-needed', prompt.onUnlockNeeded);
  return () => {
    runtime.off('unlock-needed', prompt.onUnlockNeeded);
    prompt.stop();
  };
}

class ConsolePrompt {
  private readonly pending = new Map<string, UnlockNeeded>();
  private readonly quietUntil = new Map<string, number>();
  private running = false;
  private stopped = false;
  private current?: AbortController;

  constructor(
    private readonly runtime: VaultRuntime,
    private readonly input: HiddenInput,
    private readonly output: NodeJS.WritableStream,
    private readonly maxAttempts: number,
  ) {}

  readonly onUnlockNeeded = (need: UnlockNeeded): void => {
    if (this.stopped || this.runtime.keyring.isUnlocked(need.vault) || this.pending.has(need.vault)) return;
    if ((this.quietUntil.get(need.vault) ?? 0) > Date.now()) return;
    this.pending.set(need.vault, need);
    if (!this.running) void this.drain();
  };

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    this.current?.abort();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.takeNext(); next && !this.stopped; next = this.takeNext()) {
        if (this.runtime.keyring.isUnlocked(next.vault)) continue;
        const unlocked = await this.ask(next);
        if (!unlocked) this.quietUntil.set(next.vault, Date.now() + QUIET_AFTER_DECLINE_MS);
      }
    } finally {
      this.running = false;
    }
  }

  private takeNext(): UnlockNeeded | undefined {
    const first = this.pending.values().next();
    if (first.done) return undefined;
    this.pending.delete(first.value.vault);
    return first.value;
  }

  /** Ask for one vault until it is unlocked, declined, cancelled or the attempts are used up. True when unlocked. */
  private async ask(need: UnlockNeeded): Promise<boolean> {
    const keyring = this.runtime.keyring;
    const label = `"${need.name}" (${need.vault})`;
    this.say(`\nnr-vault: a flow needs vault ${label}, which is locked on this runtime.`);
    const abort = new AbortController();
    this.current = abort;
    const onUnlocked = (id: string): void => {
      if (id === need.vault) abort.abort();
    };
    keyring.on('unlocked', onUnlocked);
    try {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        let answer: string;
        try {
          answer = await readHiddenLine(this.input, this.output, `Vault Secret Key for ${label} (input hidden, empty to skip): `, abort.signal);
        } catch (e) {
          if (e instanceof InputCancelled && e.reason === 'aborted') {
            if (keyring.isUnlocked(need.vault)) this.say(`nr-vault: vault ${label} was unlocked elsewhere.`);
            return keyring.isUnlocked(need.vault);
          } else if (e instanceof InputCancelled && e.reason === 'interrupt') {
            process.kill(process.pid, 'SIGINT'); // raw mode swallowed Ctrl-C: pass it on as the terminal would
          } else {
            this.say('nr-vault: skipped.');
          }
          return false;
        }
        if (answer.trim() === '') {
          this.say(`nr-vault: skipped; vault ${label} stays locked.`);
          return false;
        }
        try {
          await keyring.unlock(need.vault, answer);
          this.say(`nr-vault: vault ${label} unlocked.`);
          return true;
        } catch (e) {
          const code = isVaultError(e) ? e.code : 'error';
          const retry = attempt < this.maxAttempts && isVaultError(e) && (e.code === 'wrong_secret' || e.code === 'invalid_secret_format');
          // The keyring's messages never quote the key.
          this.say(`nr-vault: ${code}: ${e instanceof Error ? e.message : 'unlock failed'}${retry ? ` Try again (${attempt + 1} of ${this.maxAttempts}).` : ''}`);
          if (!retry) {
            this.say(`nr-vault: vault ${label} stays locked: unlock it with nr-vault unlock or from the Vault page.`);
            return false;
          }
        }
      }
      return false;
    } finally {
      keyring.off('unlocked', onUnlocked);
      this.current = undefined;
    }
  }

  private say(line: string): void {
    this.output.write(`${line}\n`);
  }
}
