import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceSize } from './size';

const ROUNDS = evidenceSize('CRASH_ROUNDS', 200, 20);
const writer = join(__dirname, 'crash-writer.js');

/** Runs the writer until it has acknowledged at least one write, then SIGKILLs it after a random delay. */
function runAndKill(file: string, start: number, delayMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, file, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: number[] = [];
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));
        if (line === 'ready' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer ended by itself: ${stderr}`));
      else resolve(acks);
    });
  });
}

describe('evidence: file store crash safety', function () {
  this.timeout(600_000);

  it(`killed with SIGKILL at random moments ${ROUNDS} times, the file always parses and keeps every acknowledged write`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nr-vault-crash-'));
    const file = join(dir, 'nr-vault.json');
    const acknowledged = new Set<number>();
    let next = 0;
    let seed = 12345;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const acks = await runAndKill(file, next, Math.floor(random() * 40));
        for (const n of acks) acknowledged.add(n);
        next += acks.length + 1; // the write in flight at the kill may or may not have landed
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as { items: { crash: Record<string, { plain: { n: string } }> } };
        for (const n of acknowledged) {
          assert.equal(parsed.items.crash[`i${n}`]?.plain.n, String(n), `round ${round}: acknowledged write ${n} is missing`);
        }
      }
      assert.ok(acknowledged.size > ROUNDS, `the writers acknowledged ${acknowledged.size} writes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
