/**
 * Ends the run with the seeds of the seeded tests (any console line saying `seed N`, whatever
 * the file's outcome: a red run is replayed from them) and one plain closing line,
 * `Tests: N passed, N failed, N skipped`.
 */
class SummaryReporter {
  constructor() {
    this.seedLines = [];
  }
  onTestResult(_test, testResult) {
    for (const entry of testResult.console ?? []) {
      if (/\bseed \d+/.test(entry.message)) this.seedLines.push(entry.message);
    }
  }
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const seeds = this.seedLines.length ? `\nSeeds:\n${this.seedLines.map((line) => `  ${line}`).join('\n')}\n` : '';
    process.stdout.write(`${seeds}\nTests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
