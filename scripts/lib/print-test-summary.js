// Prints the closing line of the whole test run: "N passed, N failed"
// (", N skipped" when any were skipped), adding up Jest's JSON results and,
// when given, the TAP results of the browser tests (node's test runner) and
// the JUnit reports of the Python tests (pytest --junitxml, one per session).
// Usage: node print-test-summary.js JEST_JSON [BROWSER_TAP [PYTEST_DIR]]
const fs = require('fs');
const path = require('path');

const [jestFile, tapFile, pytestDir] = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function problem(message) {
  console.log(message);
  ok = false;
}

if (!jestFile || !fs.existsSync(jestFile)) {
  problem(`no Jest results at ${jestFile}`);
} else {
  const r = JSON.parse(fs.readFileSync(jestFile, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  const failedFiles =
    r.numFailedTestSuites + (r.numRuntimeErrorTestSuites || 0);
  if (failedFiles > 0) problem(`${failedFiles} test file(s) failed`);
  if (!r.success || r.numTotalTests === 0) ok = false;
}

if (tapFile) {
  if (!fs.existsSync(tapFile)) {
    problem(`no browser test results at ${tapFile}`);
  } else {
    const tap = fs.readFileSync(tapFile, 'utf8');
    // The file holds one TAP report per run of the test runner: add them up.
    const count = name =>
      [...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    const browser = {
      passed: count('pass'),
      failed: count('fail') + count('cancelled'),
      skipped: count('skipped') + count('todo'),
    };
    if (browser.passed + browser.failed === 0) problem('no browser test ran');
    if (browser.failed > 0) ok = false;
    console.log(
      `browser tests: ${browser.passed} passed, ${browser.failed} failed`,
    );
    totals.passed += browser.passed;
    totals.failed += browser.failed;
    totals.skipped += browser.skipped;
  }
}

if (pytestDir) {
  const reports = fs.existsSync(pytestDir)
    ? fs.readdirSync(pytestDir).filter(name => name.endsWith('.xml'))
    : [];
  if (reports.length === 0) {
    problem(`no Python test results in ${pytestDir}`);
  } else {
    const python = { passed: 0, failed: 0, skipped: 0 };
    for (const report of reports) {
      const xml = fs.readFileSync(path.join(pytestDir, report), 'utf8');
      // pytest writes one <testsuite> element per session, its counts as attributes.
      const suite = /<testsuite\b([^>]*)>/.exec(xml);
      const attribute = name =>
        Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite?.[1] ?? '')?.[1]);
      const counts = ['tests', 'failures', 'errors', 'skipped'].map(attribute);
      if (!suite || counts.some(Number.isNaN)) {
        problem(`unreadable Python test report ${report}`);
        continue;
      }
      const [tests, failures, errors, skipped] = counts;
      python.passed += tests - failures - errors - skipped;
      python.failed += failures + errors;
      python.skipped += skipped;
    }
    if (python.failed > 0) ok = false;
    console.log(
      `python tests: ${python.passed} passed, ${python.failed} failed`,
    );
    totals.passed += python.passed;
    totals.failed += python.failed;
    totals.skipped += python.skipped;
  }
}

console.log(
  `${totals.passed} passed, ${totals.failed} failed${
    totals.skipped ? `, ${totals.skipped} skipped` : ''
  }`,
);
process.exit(ok && totals.failed === 0 ? 0 : 1);
