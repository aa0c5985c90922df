import { VaultError } from '../../credentials';
import { sendError } from './http-errors';
import type { AdminAuth, Handler } from './http-types';

/**
 * `RED.auth.needsPermission(permission)`, except that a signed-in user who lacks the scope gets
 * `403 forbidden` in the protocol's error shape. Node-RED 4.1 answers 401 in both cases, which
 * the editor and the CLI would take for "log in again" instead of "this user may not do that".
 * No token, or a bad one, stays Node-RED's own 401.
 */
export function requireScope(auth: AdminAuth, permission: string): Handler {
  const check = auth.needsPermission(permission);
  return (req, res, next) => {
    const status = res.status;
    res.status = function statusOrForbidden(this: typeof res, code: number) {
      res.status = status;
      // needsPermission has authenticated the user (req.user) and found the scope missing.
      if (code === 401 && req.user) {
        const forbidden = new VaultError('forbidden', `This Node-RED user does not have the ${permission} permission.`);
        return { json: () => sendError(res, forbidden), end: () => sendError(res, forbidden) };
      }
      return status.call(this, code);
    };
    check(req, res, (err?: unknown) => {
      res.status = status;
      next(err);
    });
  };
}
