/**
 * A second runtime in its own process (for the shared-store OAuth test): starts a VaultRuntime on
 * the store of NR_VAULT_CHILD's settings, unlocks, reads an OAuth2 item `reads` times at once as
 * nodes would, and prints {"token": <sha256 of the access token>, "requests": n}.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultRuntime } from '../../credentials';

async function main(): Promise<void> {
  const job = JSON.parse(process.env.NR_VAULT_CHILD ?? '{}');
  const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-child-'));
  const rt = await VaultRuntime.start(userDir, job.settings);
  try {
    await rt.keyring.unlock(job.vault, job.vsk);
    const items = await Promise.all(Array.from({ length: job.reads }, async () =>
      rt.tokens.withFreshToken(await rt.keyring.getItem(job.vault, job.item))));
    const hashes = new Set(items.map((i) => createHash('sha256').update(i.fields.accessToken).digest('hex')));
    if (hashes.size !== 1) throw new Error(`${hashes.size} different tokens in one process`);
    process.stdout.write(JSON.stringify({ token: [...hashes][0], requests: rt.tokens.requests }));
  } finally {
    await rt.close();
    rmSync(userDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
