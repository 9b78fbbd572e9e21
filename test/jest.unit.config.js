// Unit tests: colocated `*.spec.ts` files, logic only, fakes allowed.
const { project, reporters, root } = require('./jest.shared');

module.exports = {
  rootDir: root,
  reporters,
  projects: ['schedules', 'provisioning', 'hub', 'appliance'].map((p) => project(p, [`${p}/src/**/*.spec.ts`])),
};
