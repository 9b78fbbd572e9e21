// Child process of track-cache.spec.ts: downloads one track into a cache at a capped rate until the parent kills it
// with SIGKILL. argv: cache dir, hub URL, keystore path, track doc (JSON).
'use strict';
// Compile the TypeScript sources on the fly (the unit tests run without a build): the repository's one require hook.
require('../../../../test/support/register-ts');

const { loadKeystore, loadSodium, trackRecipientOf } = require('@roomtone/provisioning');
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
    recipient: trackRecipientOf(keystore),
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
