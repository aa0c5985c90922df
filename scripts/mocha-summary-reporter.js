'use strict';
// The spec reporter, plus a machine-readable summary for .ci/run: test-output/summary.json (or the
// file NR_VAULT_TEST_SUMMARY names, one per CI run) and a last line "N passed, N failed" computed
// from the run's own results. The summary names the Node and Node-RED versions the run used.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL } = Mocha.Runner.constants;
const root = path.join(__dirname, '..');

function nodeRedVersion() {
  const dir = process.env.NR_VAULT_NODE_RED
    ? path.resolve(process.env.NR_VAULT_NODE_RED)
    : path.dirname(require.resolve('node-red/package.json', { paths: [root] }));
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    runner.on(EVENT_TEST_PASS, () => passed++);
    runner.on(EVENT_TEST_FAIL, () => failed++); // hook failures arrive here too
    runner.once(EVENT_RUN_END, () => {
      const file = path.resolve(root, process.env.NR_VAULT_TEST_SUMMARY || path.join('test-output', 'summary.json'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const versions = `Node ${process.version}, Node-RED ${nodeRedVersion()}`;
      fs.writeFileSync(file, JSON.stringify({ passed, failed, pending: runner.stats?.pending ?? 0, versions }));
      process.stdout.write(`\n${versions}\n${passed} passed, ${failed} failed\n`);
    });
  }
}

module.exports = SummaryReporter;
