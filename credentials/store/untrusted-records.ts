import { VaultError, quote } from '../errors';
import type { ProblemLog } from '../problem-log';
import type { Parsed } from './record-shapes';

/**
 * How a store treats what it read back: a well-formed record is used; a malformed one is reported
 * once (which record, what is wrong, never its content) and left out of lists, and a read of that
 * one record is `tampered`. `where` names the store in reports ("the file store ...").
 */
export class UntrustedRecords {
  constructor(private readonly problems: ProblemLog, private readonly where: string) {}

  /** `what` names the record, e.g. `item "x" of vault "v"`; ids are quoted, shortened and escaped. */
  static label(kind: 'vault' | 'item' | 'runtime', id: unknown, vault?: unknown): string {
    return vault === undefined ? `${kind} ${quote(id, 64)}` : `${kind} ${quote(id, 64)} of vault ${quote(vault, 64)}`;
  }

  /** The well-formed records of a list; each malformed one is reported and skipped. */
  valid<T>(parsed: readonly { parsed: Parsed<T>; what: string }[]): T[] {
    const out: T[] = [];
    for (const { parsed: p, what } of parsed) {
      if (p.ok) out.push(p.record);
      else this.report(what, p.problem);
    }
    return out;
  }

  /** One record read on its own: a malformed one is reported and `tampered`. */
  one<T>(parsed: Parsed<T> | undefined, what: string): T | undefined {
    if (parsed === undefined) return undefined;
    if (parsed.ok) return parsed.record;
    this.report(what, parsed.problem);
    throw new VaultError('tampered', `The stored ${what} is malformed (${parsed.problem}): it was changed outside nr-vault. Write it again, or restore the store from a backup.`);
  }

  report(what: string, problem: string): void {
    this.problems.once(`${what}\0${problem}`, `nr-vault: skipped the ${what} in ${this.where}: ${problem}. It was changed outside nr-vault; write it again, or restore the store from a backup.`);
  }
}
