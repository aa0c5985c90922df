/** A terminal that can switch echo off: what `readHiddenLine` reads from. */
export interface HiddenInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** The person pressed Ctrl-C or Ctrl-D, or the caller aborted the question. */
export class InputCancelled extends Error {
  constructor(readonly reason: 'interrupt' | 'end' | 'aborted') {
    super(reason === 'aborted' ? 'The question was withdrawn.' : 'Input was cancelled.');
    this.name = 'InputCancelled';
  }
}

export function canReadHidden(input: HiddenInput): boolean {
  return input.isTTY === true && typeof input.setRawMode === 'function';
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESC = '\u001b';

/**
 * Ask a question on a terminal and read one line with echo off (raw mode): nothing typed is shown,
 * not even stars. Backspace and Ctrl-U edit; Ctrl-C and Ctrl-D cancel. The answer is never written.
 */
export function readHiddenLine(input: HiddenInput, output: NodeJS.WritableStream, question: string, signal?: AbortSignal): Promise<string> {
  if (!canReadHidden(input) || !input.setRawMode) {
    return Promise.reject(new Error('Hidden input needs a terminal (TTY) on stdin.'));
  }
  const setRaw = input.setRawMode.bind(input);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (result: { value: string } | { error: InputCancelled }): void => {
      input.removeListener('data', onData);
      signal?.removeEventListener('abort', onAbort);
      setRaw(false);
      input.pause();
      output.write('\n');
      if ('value' in result) resolve(result.value);
      else reject(result.error);
    };
    const onAbort = (): void => finish({ error: new InputCancelled('aborted') });
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (text.startsWith(ESC)) return; // arrow keys and other escape sequences
      for (const ch of text) {
        if (ENTER.has(ch)) return finish({ value: typed });
        if (ch === CTRL_C) return finish({ error: new InputCancelled('interrupt') });
        if (ch === CTRL_D) {
          if (typed === '') return finish({ error: new InputCancelled('end') });
          continue;
        }
        if (BACKSPACE.has(ch)) typed = [...typed].slice(0, -1).join('');
        else if (ch === CTRL_U) typed = '';
        else if (ch >= ' ') typed += ch;
      }
    };
    if (signal?.aborted) {
      reject(new InputCancelled('aborted'));
      return;
    }
    // Echo off before the question shows: whoever answers as soon as it appears is never echoed.
    setRaw(true);
    output.write(question);
    input.on('data', onData);
    input.resume();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
