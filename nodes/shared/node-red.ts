/**
 * The small part of Node-RED's runtime API this package uses, typed here so the code stays strict
 * without depending on node-red's own (untyped) sources. Its admin HTTP app and auth are typed in
 * nodes/runtime (NodeRedWithAdmin), the one part of nodes/ that wires admin/ in.
 */
export type NodeMessage = Record<string, unknown> & { _msgid?: string };

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type SendFn = (msg: NodeMessage | (NodeMessage | null)[]) => void;
export type DoneFn = (err?: Error) => void;

export interface RuntimeNode {
  id: string;
  type: string;
  name?: string;
  z?: string;
  status(status: NodeStatus): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(text: string): void;
  log(text: string): void;
  send(msg: NodeMessage | (NodeMessage | null)[]): void;
  on(event: 'input', handler: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface NodeRedApi {
  nodes: {
    createNode(node: unknown, def: NodeDef): void;
    registerType<N extends RuntimeNode>(type: string, ctor: (this: N, def: NodeDef) => void, opts?: unknown): void;
    getNode(id: string): unknown;
    /** The stored credentials of a node, as saved (a reference stays a reference). */
    getCredentials?(id: string): unknown;
  };
  settings: Record<string, unknown> & { userDir?: string };
  log: { info(m: string): void; warn(m: string): void; error(m: string): void; debug(m: string): void };
  comms: { publish(topic: string, data: unknown, retain: boolean): void };
  util: {
    setMessageProperty(msg: NodeMessage, prop: string, value: unknown, createMissing?: boolean): boolean;
    getMessageProperty(msg: NodeMessage, prop: string): unknown;
    cloneMessage<T>(msg: T): T;
    /** Node-RED's env lookup; flows/util.js calls it for every `${NAME}` it substitutes. */
    getSetting?(node: unknown, name: string, flow?: unknown): unknown;
  };
  /** Absent only in test harnesses that mock the runtime. */
  hooks?: {
    add(name: string, fn: (event: never) => void): void;
    remove(name: string): void;
  };
  events: {
    on(event: string, fn: (...args: never[]) => void): void;
    off?(event: string, fn: (...args: never[]) => void): void;
    emit?(event: string, ...args: unknown[]): boolean;
  };
  _(key: string, subs?: Record<string, unknown>): string;
}
