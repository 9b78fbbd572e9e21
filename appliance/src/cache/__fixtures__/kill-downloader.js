// Child process of track-cache.spec.ts: downloads one track into a cache at a capped rate until the parent kills it
// with SIGKILL. argv: cache dir, hub URL, keystore path, track doc (JSON).
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const swc = require('@swc/core');

// Compile the TypeScript sources on the fly (the unit tests run without a build).
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  if (request === '@roomtone/provisioning') request = require.resolve('../../../../provisioning/src/index.ts');
  return originalResolve.call(this, request, ...rest);
};

const { loadKeystore, loadSodium } = require('@roomtone/provisioning');
const { TrackCache } = require('../track-cache.ts');

async function main() {
  const [dir, url, keystorePath, trackJson] = process.argv.slice(2);
  const sodium = await loadSodium();
  const keystore = await loadKeystore(sodium, keystorePath);
  const track = JSON.parse(trackJson);
  const cache = await TrackCache.open({
    dir,
    budgetBytes: 100_000_000,
    sodium,
    recipient: {
      publicKey: keystore.keys.encryption.publicKey,
      secretKey: keystore.keys.encryption.secretKey,
      applianceId: keystore.applianceId,
    },
    fetchTrack: (id, headers, signal) => fetch(`${url}/appliance/v1/tracks/${id}`, { headers, signal }),
    bandwidthBytesPerSecond: 100_000,
  });
  process.stdout.write('downloading\n');
  await cache.fetch(track);
  process.stdout.write('done\n');
}
main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
