import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FINGERPRINT_PATTERN } from '../../credentials';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';

export interface KnownRuntime {
  url: string;
  fingerprint: string;
  id: string;
}

const HEADER = [
  '# nr-vault known runtimes: the fingerprint each runtime showed on first contact, like ssh\'s known_hosts.',
  '# One line per runtime: ADMIN-URL FINGERPRINT RUNTIME-ID. A runtime whose fingerprint changes is refused.',
];

/** Where the pins live: --known-runtimes, else NR_VAULT_KNOWN_RUNTIMES, else ~/.nr-vault/known_runtimes. */
export function knownRuntimesPath(io: CliIo, option: string | undefined): string {
  return option ?? io.env.NR_VAULT_KNOWN_RUNTIMES ?? join(io.home, '.nr-vault', 'known_runtimes');
}

/** The pinning file. Read once; `save` re-reads and applies this run's new pins, so parallel runs add up. */
export class KnownRuntimes {
  private readonly pins: Map<string, KnownRuntime>;
  private readonly changed = new Map<string, KnownRuntime>();

  private constructor(readonly path: string) {
    this.pins = readPins(path);
  }

  static load(path: string): KnownRuntimes {
    return new KnownRuntimes(path);
  }

  find(url: string): KnownRuntime | undefined {
    return this.pins.get(url);
  }

  /** Every pin, as read (and pinned in this run). */
  entries(): KnownRuntime[] {
    return [...this.pins.values()];
  }

  pin(entry: KnownRuntime): void {
    this.pins.set(entry.url, entry);
    this.changed.set(entry.url, entry);
  }

  save(): void {
    if (this.changed.size === 0) return;
    const current = readPins(this.path);
    for (const [url, entry] of this.changed) current.set(url, entry);
    const lines = [...HEADER, ...[...current.values()].map((e) => `${e.url} ${e.fingerprint} ${e.id}`)];
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    rmSync(tmp, { force: true });
    writeFileSync(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.changed.clear();
  }
}

function readPins(path: string): Map<string, KnownRuntime> {
  const pins = new Map<string, KnownRuntime>();
  if (!existsSync(path)) return pins;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError('known_runtimes_invalid', `The known-runtimes file ${path} cannot be read.`, { cause: e });
  }
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [url, fingerprint, id, extra] = line.split(/\s+/);
    if (!url || !fingerprint || !id || extra !== undefined || !FINGERPRINT_PATTERN.test(fingerprint)) {
      throw new CliError('known_runtimes_invalid', `Line ${index + 1} of the known-runtimes file ${path} is not "URL FINGERPRINT RUNTIME-ID".`);
    }
    pins.set(url, { url, fingerprint, id });
  });
  return pins;
}
