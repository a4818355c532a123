// Prints the closing line of the test run from Jest's JSON results:
// "N passed, N failed" (", N skipped" when any were skipped).
const fs = require('fs');

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error(`no test results at ${file}`);
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
const failedSuites = r.numFailedTestSuites + (r.numRuntimeErrorTestSuites || 0);
if (failedSuites > 0) {
  console.log(`${failedSuites} test file(s) failed`);
}
console.log(
  `${r.numPassedTests} passed, ${r.numFailedTests} failed${
    skipped ? `, ${skipped} skipped` : ''
  }`,
);
process.exit(r.success && r.numTotalTests > 0 ? 0 : 1);
