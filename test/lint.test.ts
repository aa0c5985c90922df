import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';

/** ESLint (eslint.config.mjs) is part of `npm test`, so CI counts a lint failure like any other. */
describe('lint', () => {
  it('ESLint finds no problem in the sources, tests and scripts', function () {
    this.timeout(240_000);
    const root = resolve(__dirname, '..', '..');
    // eslint's package exports hide bin/: find it beside its main module.
    const eslint = join(dirname(require.resolve('eslint', { paths: [root] })), '..', 'bin', 'eslint.js');
    const run = spawnSync(process.execPath, [eslint, '--max-warnings=0', '.'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  });
});
