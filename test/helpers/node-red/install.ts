import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../vectors';

const PACKAGE_NAME = '@nr-vault/node-red-vault';

/**
 * How a test Node-RED gets this package:
 * - "npm": in <userDir>/node_modules as a symlink to the project root, listed in <userDir>/package.json,
 *   exactly what `npm install /path/to/node-red-vault` in a user directory does (the default);
 * - "nodesDir": through settings.js `nodesDir`, as `npm start` does;
 * - "none": not at all.
 */
export type Install = 'npm' | 'nodesDir' | 'none';

/** <userDir>/node_modules/@nr-vault/node-red-vault → the project root, listed in <userDir>/package.json. */
export function installPackage(userDir: string): void {
  const scopeDir = join(userDir, 'node_modules', '@nr-vault');
  mkdirSync(scopeDir, { recursive: true });
  rmSync(join(scopeDir, 'node-red-vault'), { force: true, recursive: true });
  symlinkSync(ROOT, join(scopeDir, 'node-red-vault'), 'dir');
  writeFileSync(
    join(userDir, 'package.json'),
    JSON.stringify({ name: 'node-red-project', private: true, dependencies: { [PACKAGE_NAME]: `file:${ROOT}` } }, null, 2),
  );
}

export { ROOT as PACKAGE_ROOT };
