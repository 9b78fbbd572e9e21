// Lets plain Node require the repository's TypeScript sources without a build: compiles each required .ts file with
// @swc/core (the compiler the test suites use) and maps the @roomtone/* aliases to the libraries' sources.
// Used by bench/run.js and by worker threads the hub starts while it runs from its sources (tests, benchmarks).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const { SWC_TYPESCRIPT } = require('./swc-options');

if (!globalThis.__roomtoneRegisterTs) {
  globalThis.__roomtoneRegisterTs = true;
  const swc = require('@swc/core');
  const root = path.resolve(__dirname, '../..');
  const aliases = {
    '@roomtone/schedules': path.join(root, 'schedules/src/index.ts'),
    '@roomtone/provisioning': path.join(root, 'provisioning/src/index.ts'),
  };

  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (aliases[request]) return aliases[request];
    try {
      return originalResolve.call(this, request, parent, ...rest);
    } catch (error) {
      // Relative imports of TypeScript files have no extension.
      if (request.startsWith('.') && parent && parent.filename) {
        for (const candidate of [`${request}.ts`, `${request}/index.ts`]) {
          const file = path.resolve(path.dirname(parent.filename), candidate);
          if (fs.existsSync(file)) return file;
        }
      }
      throw error;
    }
  };

  require.extensions['.ts'] = function (module, filename) {
    const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { filename, ...SWC_TYPESCRIPT });
    module._compile(code, filename);
  };
}
