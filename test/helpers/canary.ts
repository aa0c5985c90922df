import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

/** Everything a node said through node-red-node-test-helper: its log spy and the spied Node methods. */
export function nodeRedOutput(helper: any): string[] {
  const out: string[] = [];
  const log = helper.log();
  if (log) for (const args of log.args as unknown[][]) out.push(`log ${text(args)}`);
  // The helper spies on these Node methods for every node (status, error, warn, log, send...).
  for (const method of ['log', 'status', 'warn', 'error', 'debug', 'trace', 'send']) {
    const spy = helper._NodePrototype?.[method];
    if (spy?.args) for (const args of spy.args as unknown[][]) out.push(`${method} ${text(args)}`);
  }
  return out;
}

/** Every file under a directory, as latin1 text (so any byte sequence of an ASCII canary shows). */
export function filesUnder(dir: string): { path: string; content: string }[] {
  const files: { path: string; content: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile()) files.push({ path, content: readFileSync(path, 'latin1') });
  }
  return files;
}

/** A value as full text: errors with their stack, own properties and cause; messages deeply. */
export function text(value: unknown): string {
  return inspect(value, { depth: 20, breakLength: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
}

/** The forms a secret could leak in: as is and base64 (plus any extra forms, e.g. a Basic auth token). */
export function secretForms(secret: string, ...extra: string[]): string[] {
  return [secret, Buffer.from(secret).toString('base64'), ...extra];
}

/**
 * Asserts that no form of the canary appears in the user directory's files, in anything the nodes
 * said (logs, statuses, errors, sent messages), or in the extra texts given (e.g. caught messages).
 */
export function assertCanaryAbsent(forms: string[], where: { userDir: string; helper: any; texts?: string[] }): void {
  const places: { name: string; content: string }[] = [
    ...filesUnder(where.userDir).map((f) => ({ name: f.path, content: f.content })),
    ...nodeRedOutput(where.helper).map((content, i) => ({ name: `node output #${i}`, content })),
    ...(where.texts ?? []).map((content, i) => ({ name: `text #${i}`, content })),
  ];
  assert.ok(places.length > 0);
  for (const form of forms) {
    for (const p of places) assert.ok(!p.content.includes(form), `the canary appears in ${p.name}`);
  }
}
