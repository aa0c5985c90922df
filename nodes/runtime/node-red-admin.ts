import type { AdminApp, AdminAuth } from '../../admin/routes';
import type { NodeRedApi } from '../shared/node-red';

/**
 * The RED object as the package's modules receive it: Node-RED's runtime API plus its admin HTTP
 * app and auth. Typed here, in nodes/runtime, because only nodes/runtime wires admin/ in.
 */
export type NodeRedWithAdmin = NodeRedApi & {
  httpAdmin: AdminApp;
  auth: AdminAuth;
};
