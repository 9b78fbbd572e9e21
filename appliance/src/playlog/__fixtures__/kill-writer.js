// Child process of play-log.spec.ts: writes plays to the log given as argv[2] and reports each one on stdout after
// the call returned (so after it was durable); in its 40th play it stops with the play open until SIGKILLed.
'use strict';
// Compile the TypeScript sources on the fly (the unit tests run without a build): the repository's one require hook.
require('../../../../test/support/register-ts');

const { SqlitePlayLog } = require('../play-log.ts');
const log = new SqlitePlayLog(process.argv[2]);
let n = 0;
const track = '0190a000-0000-7000-8000-000000000001';
for (;;) {
  n++;
  const playId = `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const sequence = log.begin({
    playId,
    trackId: track,
    planId: null,
    programmeId: null,
    blockId: null,
    rule: null,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    source: 'scheduled',
    quality: 'full',
    offline: false,
  });
  process.stdout.write(`begun ${sequence}\n`);
  log.progress(sequence, 1.5);
  process.stdout.write(`progress ${sequence} 1.5\n`);
  log.progress(sequence, 2.25);
  process.stdout.write(`progress ${sequence} 2.25\n`);
  if (n === 40) {
    // Mid-play: begun, audible time recorded, not ended. Wait here for SIGKILL.
    process.stdout.write(`holding ${sequence}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  }
  log.end(sequence, 3, 'completed');
  process.stdout.write(`ended ${sequence}\n`);
}
