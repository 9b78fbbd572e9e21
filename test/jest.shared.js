// Shared Jest settings. NestJS 12 ships ESM only; @swc/jest compiles our TypeScript and those packages to CommonJS
// (see ../shared/FIELD-NOTES.md, "Toolchain").
const path = require('node:path');
const { SWC_TYPESCRIPT } = require('./support/swc-options');

const root = path.resolve(__dirname, '..');
const esmPackages = [
  '@nestjs',
  'file-type',
  'uid',
  'load-esm',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  // music-metadata 11 and the ESM-only packages it pulls in (catalogue probing).
  'music-metadata',
  'win-guid',
  'media-typer',
  '@tokenizer/inflate',
  // mpg123-decoder (the appliance's MP3 decoder) and its ESM-only dependencies.
  'mpg123-decoder',
  '@wasm-audio-decoders',
  'simple-yenc',
  '@eshaz',
  // @fastify/static (serves the OpenAPI UI on Fastify) requires content-disposition 3, which is ESM only.
  '@fastify/static',
  'content-disposition',
];

const base = {
  rootDir: root,
  testEnvironment: 'node',
  transform: {
    // music-metadata's ESM does `import ContentType from 'content-type'` (a CommonJS module flagged __esModule without
    // a default export): Node gives it module.exports, swc's default interop gives undefined. Compile it Node's way.
    '/node_modules/music-metadata/.+\\.js$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
        module: { type: 'commonjs', importInterop: 'node' },
      },
    ],
    '^.+\\.(t|j)sx?$': ['@swc/jest', SWC_TYPESCRIPT],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@roomtone/schedules$': '<rootDir>/schedules/src/index.ts',
    '^@roomtone/provisioning$': '<rootDir>/provisioning/src/index.ts',
  },
  resolver: '<rootDir>/test/support/jest-resolver.js',
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

/** Reporters for every configuration: Jest's own, plus the totals .ci/run reads. */
const reporters = ['default', '<rootDir>/test/support/summary-reporter.js'];

/** A Jest project named `name` whose tests match `testMatch` (globs relative to the repository root). */
function project(name, testMatch, extra = {}) {
  return { ...base, displayName: name, testMatch: testMatch.map((g) => `<rootDir>/${g}`), ...extra };
}

module.exports = { project, reporters, root };
