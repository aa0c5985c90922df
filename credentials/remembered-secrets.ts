import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatVsk, isValidId, openRememberedSecret, sealRememberedSecret, wipe } from './crypto';
import { isVaultError } from './errors';
import type { Keyring } from './keyring';
import type { RuntimeKeys } from './crypto';

export const REMEMBERED_FILE = 'nr-vault-remembered.json';

interface RememberedFile {
  format: 1;
  /** vault id → its VSK sealed to this runtime's own public key (see sealRememberedSecret). */
  vaults: Record<string, string>;
}

/**
 * `vault: { rememberSecrets: true }`: every VSK this runtime unlocks is kept in the user directory,
 * sealed to the runtime's own key (file mode 0600), forgotten when the vault is locked, and used
 * to unlock the vault again on the next start. Anyone who can read both this file and the runtime
 * key file can unlock those vaults: that is the trade-off of the setting, which is off by default.
 */
export class RememberedSecrets {
  private readonly path: string;
  private readonly onUnlocked = (vaultId: string): void => this.remember(vaultId);
  private readonly onLocked = (vaultId: string): void => this.forget(vaultId);

  private constructor(
    userDir: string,
    private readonly keyring: Keyring,
    private readonly keys: RuntimeKeys,
    private readonly warn: (message: string) => void,
  ) {
    this.path = join(userDir, REMEMBERED_FILE);
  }

  /**
   * With the setting on: unlock every remembered vault, then follow unlocks and locks. With it off:
   * delete a file left from when it was on, so that turning the setting off really forgets.
   */
  static async start(
    enabled: boolean, userDir: string, keyring: Keyring, keys: RuntimeKeys, warn: (message: string) => void,
  ): Promise<RememberedSecrets | undefined> {
    const remembered = new RememberedSecrets(userDir, keyring, keys, warn);
    if (!enabled) {
      if (existsSync(remembered.path)) {
        rmSync(remembered.path, { force: true });
        warn(`nr-vault: rememberSecrets is off, so the remembered vault secrets in ${remembered.path} were deleted.`);
      }
      return undefined;
    }
    await remembered.restore();
    keyring.on('unlocked', remembered.onUnlocked);
    keyring.on('locked', remembered.onLocked);
    return remembered;
  }

  /** Stop following the keyring (before it locks everything on shutdown, which must not forget). */
  detach(): void {
    this.keyring.off('unlocked', this.onUnlocked);
    this.keyring.off('locked', this.onLocked);
  }

  private async restore(): Promise<void> {
    const file = this.read();
    const kept: Record<string, string> = {};
    for (const [vaultId, sealed] of Object.entries(file.vaults)) {
      let vsk: Uint8Array | undefined;
      try {
        vsk = openRememberedSecret(vaultId, sealed, this.keys);
        await this.keyring.unlock(vaultId, formatVsk(vsk));
        kept[vaultId] = sealed;
      } catch (e) {
        const code = isVaultError(e) ? e.code : 'error';
        this.warn(`nr-vault: the remembered secret of vault "${vaultId}" was not used (${code}) and is forgotten.`);
      } finally {
        wipe(vsk);
      }
    }
    this.write({ format: 1, vaults: kept });
  }

  private remember(vaultId: string): void {
    const vsk = this.keyring.secretOf(vaultId);
    if (!vsk) return;
    try {
      const file = this.read();
      file.vaults[vaultId] = sealRememberedSecret(vaultId, vsk, this.keys.publicKey);
      this.write(file);
    } catch (e) {
      this.warn(`nr-vault: could not remember the secret of vault "${vaultId}": ${e instanceof Error ? e.message : 'unknown error'}`);
    } finally {
      wipe(vsk);
    }
  }

  private forget(vaultId: string): void {
    try {
      const file = this.read();
      if (!(vaultId in file.vaults)) return;
      delete file.vaults[vaultId];
      this.write(file);
    } catch (e) {
      this.warn(`nr-vault: could not forget the secret of vault "${vaultId}": ${e instanceof Error ? e.message : 'unknown error'}`);
    }
  }

  /** A missing or unreadable file is an empty one (it holds nothing the vault cannot do without). */
  private read(): RememberedFile {
    if (!existsSync(this.path)) return { format: 1, vaults: {} };
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      if (isRememberedFile(parsed)) return parsed;
    } catch {
      // reported below
    }
    this.warn(`nr-vault: ${this.path} is not a remembered-secrets file; it is ignored and will be rewritten.`);
    return { format: 1, vaults: {} };
  }

  private write(file: RememberedFile): void {
    if (Object.keys(file.vaults).length === 0) {
      rmSync(this.path, { force: true });
      return;
    }
    const tmp = `${this.path}.${process.pid}.tmp`;
    rmSync(tmp, { force: true });
    writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

function isRememberedFile(v: unknown): v is RememberedFile {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { format?: unknown; vaults?: unknown };
  if (o.format !== 1 || typeof o.vaults !== 'object' || o.vaults === null || Array.isArray(o.vaults)) return false;
  return Object.entries(o.vaults).every(([id, sealed]) => isValidId(id) && typeof sealed === 'string');
}
