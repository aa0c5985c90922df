/**
 * Preloaded (node --require, through NODE_OPTIONS) into every process a test starts Node-RED in:
 * when the test process NR_VAULT_TEST_PARENT names is gone (mocha killed outright, so no exit
 * handler ran), this process exits within a second. See guard.ts.
 */
const parent = Number(process.env.NR_VAULT_TEST_PARENT);
if (Number.isInteger(parent) && parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}
