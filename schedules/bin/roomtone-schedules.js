#!/usr/bin/env node
// Launcher: the CLI is compiled to dist/ by `npm install` (root `prepare` script runs `npm run build`).
require('../dist/cli/main.js');
