import { homedir } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { readHiddenLine, canReadHidden } from '../../credentials';

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  /** Ask on the terminal with echo off; absent when stdin is not a terminal. */
  askHidden?: (question: string) => Promise<string>;
  /** Ask on the terminal with echo on (a yes/no); absent when stdin is not a terminal. */
  ask?: (question: string) => Promise<string>;
  /** All of stdin, for `--secret-file -`. */
  readStdin(): Promise<string>;
}

export function processIo(): CliIo {
  const stdin = process.stdin;
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    home: homedir(),
    askHidden: canReadHidden(stdin) ? (q) => readHiddenLine(stdin, process.stderr, q) : undefined,
    ask: canReadHidden(stdin) ? (q) => askLine(q) : undefined,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

async function askLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
