// One way a form says what is wrong with it: a list of problems, each naming the field it is
// about, checked all at once before anything is sealed or sent.

export interface Problem {
  /** The field the problem is about ('name' for the connection's name), if any. */
  field?: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** The text a dialog shows for a form's problems: all of them, one a line. */
export function problemsText(problems: Problem[]): string {
  return problems.map((p) => p.message).join('\n');
}
