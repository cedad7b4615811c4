/**
 * Jest's default reporter, but a file's captured console output (logs, runtime warnings) is
 * printed only when the file has a failure: a green run is one line per file, and a red one
 * shows everything the failing file said next to its failure.
 */
const { DefaultReporter } = require('@jest/reporters');

class QuietWhenGreenReporter extends DefaultReporter {
  printTestFileHeader(testPath, config, result) {
    const failed = result.numFailingTests > 0 || Boolean(result.testExecError);
    super.printTestFileHeader(testPath, config, failed ? result : { ...result, console: undefined });
  }
}

module.exports = QuietWhenGreenReporter;
