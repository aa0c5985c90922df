import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const CHILD = join(__dirname, '..', '..', 'helpers', 'lock-race-child.js');
const RACERS = 10;
const TRIALS_PER_START = 4;

/** How a trial's lock looks before the racers start: each is what a crash or an older version leaves. */
const STARTS: Record<string, (file: string, deadPid: number) => void> = {
  'no lock at all': () => undefined,
  "a 0.1.0 lock file of a dead process": (file, pid) => writeFileSync(`${file}.lock`, JSON.stringify({ pid, host: hostname() })),
  'an empty 0.1.0 lock file (killed before it wrote)': (file) => {
    closeSync(openSync(`${file}.lock`, 'w'));
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
  },
  'a lock of a dead process': (file, pid) => {
    mkdirSync(`${file}.lock`);
    closeSync(openSync(join(`${file}.lock`, `holder.${pid}.${Buffer.from(hostname()).toString('base64url')}.abc`), 'w'));
  },
  'an empty lock directory (killed between its two steps)': (file) => {
    mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
  },
};

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
}

/** Start the racers, wait until each said "held" or why not, then kill the holders. The answers. */
async function race(file: string): Promise<string[]> {
  const goAt = Date.now() + 2_500; // time for every process to start, even on a loaded machine
  const children: ChildProcess[] = [];
  try {
    return await Promise.all(Array.from({ length: RACERS }, () => new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [CHILD, file, String(goAt)], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('error', reject);
      child.on('exit', (c) => { if (!out.includes('\n')) reject(new Error(`a racer exited with ${c} without an answer`)); });
    })));
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  }
}

describe('file store lock: many processes starting at once take it exactly once (issue 11, low)', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'nr-vault-lock-race-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [start, prepare] of Object.entries(STARTS)) {
    it(`${start}: ${RACERS} racers, ${TRIALS_PER_START} times, one holder each time, the others store_locked`, async () => {
      for (let trial = 0; trial < TRIALS_PER_START; trial++) {
        const file = join(dir, `${start.replace(/\W+/g, '-')}-${trial}.json`);
        prepare(file, deadPid());
        const answers = await race(file);
        const held = answers.filter((a) => a === 'held').length;
        assert.equal(held, 1, `trial ${trial}: ${held} holders at once (${answers.join(', ')})`);
        assert.deepEqual(answers.filter((a) => a !== 'held'), Array(RACERS - 1).fill('store_locked'));
        assert.ok(existsSync(`${file}.lock`));
      }
    });
  }
});
