// Integration tests: real SQLite, real PostgreSQL, real ffmpeg, real CLIs (built `dist/`).
const { project, reporters, root } = require('./jest.shared');

module.exports = {
  rootDir: root,
  reporters,
  testTimeout: 60_000,
  projects: [project('integration', ['test/integration/**/*.test.ts'])],
};
