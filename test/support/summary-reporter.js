// Writes each Jest run's totals to $ROOMTONE_TEST_SUMMARY_DIR so .ci/run can add up every suite of `npm test`
// and refuse a run in which any test was skipped.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = process.env.ROOMTONE_TEST_SUMMARY_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const skipped = [];
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status === 'pending' || t.status === 'todo' || t.status === 'skipped') skipped.push(t.fullName);
      }
    }
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped,
    };
    const file = path.join(dir, `${Date.now()}-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify(summary));
  }
}

module.exports = SummaryReporter;
