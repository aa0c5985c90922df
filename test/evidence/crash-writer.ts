/**
 * A child process for the crash-safety test: writes items to a file store as fast as it can and
 * prints "ack N" after each write has resolved. The parent kills it with SIGKILL at random.
 */
import { FileStore, VaultError } from '../../credentials';

async function main(): Promise<void> {
  const [file, startText] = process.argv.slice(2);
  const store = new FileStore(file);
  await store.open();
  if (!(await store.getVault('crash'))) {
    await store.createVault({ id: 'crash', name: 'Crash', share: 'c2hhcmU', publicKey: 'cHVi', createdAt: new Date().toISOString() });
  }
  process.stdout.write('ready\n');
  for (let n = Number(startText); ; n++) {
    await store.putItem('crash', `i${n}`, {
      name: `item ${n}`, type: 'custom', plain: { n: String(n), pad: 'x'.repeat(n % 500) }, secret: {},
    });
    process.stdout.write(`ack ${n}\n`); // synchronous on a pipe on Linux: printed means written
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`crash-writer: ${e instanceof VaultError ? e.code : ''} ${(e as Error).message}\n`);
  process.exit(2);
});
