/**
 * The adminAuth permissions each command needs, and no more: `--user` logs in asking for these
 * only (Node-RED then issues a token limited to them), never for "*".
 */
export type Scope = 'vault.read' | 'vault.write' | 'vault.unlock';

export const SCOPES = {
  /** Identity is public: `nr-vault runtime` sends no credentials at all. */
  runtime: [] as Scope[],
  vaults: ['vault.read'] as Scope[],
  createVault: ['vault.write'] as Scope[],
  /** Finding the vault reads the list; unlocking, locking and recording approvals need vault.unlock. */
  unlock: ['vault.read', 'vault.unlock'] as Scope[],
} as const;
