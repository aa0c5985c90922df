'use strict';
// Mocha's settings. `npm test` (no file arguments) runs every test; `npx mocha dist/test/x.test.js`
// runs only the files named (Mocha would otherwise add them to a configured spec and run everything).
const named = process.argv.slice(2).some((arg) => /\.test\.js$/.test(arg));

module.exports = {
  ...(named ? {} : { spec: ['dist/test/**/*.test.js'] }),
  timeout: 20000,
  exit: true,
  reporter: './scripts/mocha-summary-reporter.js',
};
