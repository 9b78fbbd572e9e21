// How the repository's TypeScript is compiled without a build: Jest's transform (test/jest.shared.js) and the
// require hook of plain Node processes and threads (test/support/register-ts.js) use the same options.
const SWC_TYPESCRIPT = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = { SWC_TYPESCRIPT };
