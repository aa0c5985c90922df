import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidId } from './crypto';

export const FORMAT2_FILE = 'nr-vault-format2.json';

/**
 * The vaults this runtime has rewritten in field format 2, kept in its user directory (not in the
 * store, which a store writer controls). For those, a format-1 field can only be an old ciphertext
 * put back into the store (format 1 binds no destination), so it is refused even after a restart,
 * and never migrated again.
 */
export class Format2Vaults {
  private readonly path: string;
  private readonly ids = new Set<string>();

  constructor(userDir: string, private readonly warn: (message: string) => void) {
    this.path = join(userDir, FORMAT2_FILE);
    if (!existsSync(this.path)) return;
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as { vaults?: unknown };
      if (Array.isArray(data.vaults)) for (const id of data.vaults) if (isValidId(id)) this.ids.add(id);
    } catch {
      warn(`nr-vault: ${this.path} is not readable JSON; format-1 fields are accepted (and rewritten) again until the next unlock.`);
    }
  }

  has(vaultId: string): boolean {
    return this.ids.has(vaultId);
  }

  add(vaultId: string): void {
    if (this.ids.has(vaultId)) return;
    this.ids.add(vaultId);
    try {
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ format: 1, vaults: [...this.ids] }, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch {
      this.warn(`nr-vault: could not write ${this.path}; after a restart, format-1 fields of vault "${vaultId}" are accepted again until it is unlocked.`);
    }
  }
}
