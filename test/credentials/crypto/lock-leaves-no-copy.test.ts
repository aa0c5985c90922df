import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHILD = join(__dirname, '..', '..', 'helpers', 'lock-residue-child.js');

interface Report {
  vskTexts: string[];
  vskBytes: string[];
  vaultSecretKeys: string[];
  fieldKeys: string[];
  secrets: string[];
  control: string;
}

/** Every 12-byte piece of a value: a leftover part (the last block of a field) is a leak too. */
function pieces(value: Buffer, size = 12): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + size <= value.length; at++) out.push(value.subarray(at, at + size));
  return out;
}

function found(haystack: Buffer, needles: Buffer[]): Buffer | undefined {
  return needles.find((n) => haystack.includes(n));
}

function runChild(dir: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', CHILD, dir], { timeout: 120_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Report);
    });
  });
}

describe('lock leaves no copy in memory (issue 11, medium 7)', function () {
  this.timeout(180_000);
  let dir: string;
  let report: Report;
  let wasmHeap: Buffer;
  let wasmHeapUnlocked: Buffer;
  let snapshot: Buffer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nr-vault-residue-'));
    report = await runChild(dir);
    wasmHeap = readFileSync(join(dir, 'wasm-heap.bin'));
    wasmHeapUnlocked = readFileSync(join(dir, 'wasm-heap-unlocked.bin'));
    snapshot = readFileSync(join(dir, 'after-lock.heapsnapshot'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const hex = (list: string[]): Buffer[] => list.map((h) => Buffer.from(h, 'hex'));

  it('the scan sees what is still there: the last decrypted value before the lock, a value a node kept after it', () => {
    assert.ok(found(wasmHeapUnlocked, hex(report.secrets).flatMap((s) => pieces(s))), 'no decrypted value in the heap of an unlocked runtime: the scan would find nothing');
    assert.ok(snapshot.includes(Buffer.from(report.control, 'hex')), 'the value still referenced after the lock is missing from the heap snapshot');
  });

  it("libsodium's WebAssembly memory holds no VSK, vault key, field key or decrypted value after the lock", () => {
    const checks: [string, Buffer[]][] = [
      ['a VSK text', hex(report.vskTexts).flatMap((t) => [t, t.subarray(5)])],
      ['VSK bytes', hex(report.vskBytes)],
      // Bytes 1..30 too: X25519 clamps the first and last byte of its working copy.
      ['a vault secret key', hex(report.vaultSecretKeys).flatMap((k) => [k, k.subarray(1, 31)])],
      ['a field key', hex(report.fieldKeys)],
      ['a decrypted value (or a part of one)', hex(report.secrets).flatMap((s) => pieces(s))],
    ];
    for (const [what, needles] of checks) {
      const hit = found(wasmHeap, needles);
      assert.equal(hit && wasmHeap.indexOf(hit), undefined, `${what} is still in libsodium's memory after the lock`);
    }
  });

  it('the V8 heap holds no VSK text and no decrypted value after the lock and a full GC', () => {
    const checks: [string, Buffer[]][] = [
      ['a VSK text', hex(report.vskTexts).flatMap((t) => [t, t.subarray(5)])],
      ['a decrypted value (or a part of one)', hex(report.secrets).filter((s) => !s.equals(Buffer.from(report.control, 'hex'))).flatMap((s) => pieces(s))],
    ];
    for (const [what, needles] of checks) {
      assert.equal(found(snapshot, needles)?.toString(), undefined, `${what} is still in the V8 heap after the lock`);
    }
  });
});
