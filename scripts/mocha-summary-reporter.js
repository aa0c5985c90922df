'use strict';
// The spec reporter, plus a machine-readable summary for .ci/run: test-output/summary.json and a
// last line "N passed, N failed" computed from the run's own results.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    runner.on(EVENT_TEST_PASS, () => passed++);
    runner.on(EVENT_TEST_FAIL, () => failed++); // hook failures arrive here too
    runner.once(EVENT_RUN_END, () => {
      const out = path.join(__dirname, '..', 'test-output');
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify({ passed, failed, pending: runner.stats?.pending ?? 0 }));
      process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
    });
  }
}

module.exports = SummaryReporter;
