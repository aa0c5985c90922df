import type { IncomingMessage, ServerResponse } from 'node:http';

/** The part of an Express request/response the routes use (Node-RED's httpAdmin is Express 4). */
export type Request = IncomingMessage & { body?: unknown; params: Record<string, string>; user?: unknown };
export type Response = ServerResponse & {
  status(code: number): { json(body: unknown): void; end(): void };
  json(body: unknown): void;
};
export type Handler = (req: Request, res: Response, next: (err?: unknown) => void) => void;
export type ErrorHandler = (err: unknown, req: Request, res: Response, next: (err?: unknown) => void) => void;

export interface AdminApp {
  get(path: string, ...handlers: Handler[]): void;
  post(path: string, ...handlers: Handler[]): void;
  put(path: string, ...handlers: Handler[]): void;
  delete(path: string, ...handlers: Handler[]): void;
  use(path: string, handler: ErrorHandler): void;
}

export interface AdminAuth {
  needsPermission(permission: string): Handler;
}
