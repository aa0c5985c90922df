import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAllVaultRuntimes } from '../../nodes/shared/vault-runtime-registry';
import { helperCall, VaultTestClient } from './vault-client';

// node-red-node-test-helper has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper: any = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

export const vaultNode = require('../../nodes/vault/vault');
export const getItemNode = require('../../nodes/vault-get-item/vault-get-item');

/**
 * Start node-red-node-test-helper with a fresh user directory (so a fresh store and runtime key)
 * before each test, and stop it after. Returns accessors valid inside the tests.
 */
export function useNodeRed(settings: Record<string, unknown> = {}) {
  const ctx: { userDir: string; client: VaultTestClient } = { userDir: '', client: new VaultTestClient(helperCall(() => helper.request())) };
  beforeEach(async () => {
    ctx.userDir = mkdtempSync(join(tmpdir(), 'nr-vault-user-'));
    helper.settings({ userDir: ctx.userDir, ...settings });
    await helper.startServer();
  });
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await stopAllVaultRuntimes();
    rmSync(ctx.userDir, { recursive: true, force: true });
  });
  return ctx;
}
