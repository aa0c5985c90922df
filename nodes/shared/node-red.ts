/**
 * The small part of Node-RED's runtime API this package uses, typed here so the code stays strict
 * without depending on node-red's own (untyped) sources.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type NodeMessage = Record<string, unknown> & { _msgid?: string };

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface RuntimeNode {
  id: string;
  type: string;
  name?: string;
  z?: string;
  status(status: NodeStatus | Record<string, never>): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(text: string): void;
  log(text: string): void;
  send(msg: NodeMessage | NodeMessage[]): void;
  on(event: 'input', handler: (msg: NodeMessage, send: (m: NodeMessage | NodeMessage[]) => void, done: (err?: Error) => void) => void): void;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export type Handler = (req: IncomingMessage & { body?: unknown; params: Record<string, string>; user?: unknown }, res: ServerResponse & {
  status(code: number): { json(body: unknown): void; end(): void };
  json(body: unknown): void;
}, next: (err?: unknown) => void) => void;

export interface AdminApp {
  get(path: string, ...handlers: Handler[]): void;
  post(path: string, ...handlers: Handler[]): void;
  put(path: string, ...handlers: Handler[]): void;
  delete(path: string, ...handlers: Handler[]): void;
}

export interface NodeRedApi {
  nodes: {
    createNode(node: unknown, def: NodeDef): void;
    registerType(type: string, ctor: new (def: NodeDef) => unknown, opts?: unknown): void;
    getNode(id: string): unknown;
  };
  settings: Record<string, unknown> & { userDir?: string };
  log: {
    info(m: string): void;
    warn(m: string): void;
    error(m: string): void;
    debug(m: string): void;
  };
  comms: { publish(topic: string, data: unknown, retain: boolean): void };
  httpAdmin: AdminApp;
  auth: { needsPermission(permission: string): Handler };
  util: {
    setMessageProperty(msg: NodeMessage, prop: string, value: unknown, createMissing?: boolean): boolean;
    getMessageProperty(msg: NodeMessage, prop: string): unknown;
  };
  events: { on(event: string, fn: (...args: unknown[]) => void): void; once(event: string, fn: (...args: unknown[]) => void): void };
  version(): string;
  _(key: string, subs?: Record<string, unknown>): string;
}
