/**
 * One racer of lock-race.test.ts: waits until the agreed moment (argv[3], unix ms), then tries to
 * take the file store's lock (argv[2] is the data file). Prints "held" and keeps the lock until it
 * is killed (at most two minutes), or prints the error code and exits.
 */
import { acquireLockFile } from '../../credentials/store/lock-file';

const [file, goAt] = [process.argv[2], Number(process.argv[3])];

function race(): void {
  try {
    acquireLockFile(file);
    process.stdout.write('held\n');
    setTimeout(() => process.exit(0), 120_000); // hold until killed; never outlive a test that died
  } catch (e) {
    process.stdout.write(`${(e as { code?: string }).code ?? String(e)}\n`);
    process.exit(0);
  }
}

// Sleep, then spin the last milliseconds on a sub-millisecond wall clock (shared by all processes),
// so that the racers on a CPU at that moment start within microseconds of each other.
const wallNow = (): number => performance.timeOrigin + performance.now();
setTimeout(() => {
  while (wallNow() < goAt) { /* spin */ }
  race();
}, Math.max(0, goAt - Date.now() - 5));
