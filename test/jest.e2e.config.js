// End-to-end tests: a real hub over HTTP, real appliance processes, a real PulseAudio daemon, a real browser.
const { project, reporters, root } = require('./jest.shared');

module.exports = {
  rootDir: root,
  reporters,
  testTimeout: 180_000,
  projects: [project('e2e', ['test/e2e/**/*.test.ts'])],
};
