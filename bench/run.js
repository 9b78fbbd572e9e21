#!/usr/bin/env node
// Runs a TypeScript benchmark without a build step: `node bench/run.js bench/<name>/<file>.ts [args...]`.
// test/support/register-ts.js compiles each required .ts file with @swc/core and maps the @roomtone/* aliases.
const path = require('node:path');
require('../test/support/register-ts');

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node bench/run.js bench/<name>/<file>.ts [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(script), ...args];
require(path.resolve(script));
