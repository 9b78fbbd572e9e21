// Schedules benchmark: 10,000 zones x 5 rules across 10 IANA zones over a week with a clock change, then 1,000,000
// resolves on the compiled weeks; beside it, the same rule expansions with rrule-temporal and croner.
// Run: node bench/run.js bench/schedules/expand.ts [zones=10000] [resolves=1000000] [referenceSample=300]
import os from 'node:os';
import {
  type Schedule,
  cachedDeps,
  compile,
  defaultDeps,
  expandRule,
  parseRule,
  parseSchedule,
  resolve,
} from '@roomtone/schedules';
import { referenceInstants } from './reference';
import { WEEK_FROM, WEEK_TO, ZONES, prng, scheduleDoc, workload } from './workload';

const [zonesArg, resolvesArg, sampleArg] = process.argv.slice(2).map(Number);
const ZONE_COUNT = zonesArg || 10_000;
const RESOLVES = resolvesArg || 1_000_000;
const SAMPLE = Math.min(sampleArg || 300, ZONE_COUNT);

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
// The machine is shared: rates use this process's CPU time (user + system), and wall time is printed beside it.
const walls = new Map<number, number>();
const time = <T>(fn: () => T): [T, number] => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1000;
  walls.set(cpu, wall);
  return [result, cpu];
};
const ms = (cpu: number): string => `${fmt(cpu)} ms CPU (${fmt(walls.get(cpu) ?? NaN)} ms wall)`;
const rows: string[][] = [];
const row = (...cells: string[]): void => {
  rows.push(cells);
  console.log(cells.join(' | '));
};

const zones = workload(ZONE_COUNT);
const docs = zones.map(scheduleDoc);
console.log(
  `# ${ZONE_COUNT} zones x 5 rules, ${ZONES.length} IANA zones, week ${new Date(WEEK_FROM).toISOString()} .. ${new Date(WEEK_TO).toISOString()}`,
);
console.log(
  `# node ${process.version}, ${process.platform}/${process.arch}, ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

// Occurrences in the week (block occurrences, gap instances included), counted once outside the timings.
let occurrences = 0;
for (const z of zones.slice(0, ZONE_COUNT)) {
  for (const r of z.rules) {
    const rule = parseRule(r.kind === 'rrule' ? { rrule: r.text } : { cron: r.text }, z.zone);
    occurrences += expandRule(rule, WEEK_FROM, WEEK_TO, { gap: 'keep' }).length;
  }
}
console.log(`# ${fmt(occurrences)} rule occurrences in the week`);

// 1. Our engine, every zone on its own: parse, then expand + compile each zone's week.
const [schedules, parseMs] = time(() => docs.map((d) => parseSchedule(d)));
const [compiled, compileMs] = time(() => schedules.map((s) => compile(s, WEEK_FROM, WEEK_TO)));
row(
  'engine: parse + validate schedules (independent)',
  ms(parseMs),
  `${fmt((ZONE_COUNT / parseMs) * 1000)} schedules/s`,
);
row(
  'engine: expand + compile weeks (independent)',
  ms(compileMs),
  `${fmt((occurrences / compileMs) * 1000)} occurrences/s`,
);

// 2. Our engine sharing parsed rules and expansions between zones with identical (rule, zone): templates.
const shared = cachedDeps(defaultDeps);
const [sharedSchedules, sharedParseMs] = time(() => docs.map((d) => parseSchedule(d, shared)));
const [, sharedCompileMs] = time(() => sharedSchedules.map((s: Schedule) => compile(s, WEEK_FROM, WEEK_TO)));
row('engine: parse (shared rule cache)', ms(sharedParseMs), '');
row(
  'engine: expand + compile weeks (shared rule cache)',
  ms(sharedCompileMs),
  `${fmt((occurrences / sharedCompileMs) * 1000)} occurrences/s`,
);

// 3. Resolves at random instants of random zones, on the compiled weeks (binary search).
const random = prng(42);
const zoneIdx = Int32Array.from({ length: RESOLVES }, () => Math.floor(random() * ZONE_COUNT));
const instants = Float64Array.from(
  { length: RESOLVES },
  () => WEEK_FROM + Math.floor(random() * (WEEK_TO - WEEK_FROM)),
);
const [playing, resolveMs] = time(() => {
  let n = 0;
  for (let i = 0; i < RESOLVES; i++) if (compiled[zoneIdx[i]].at(instants[i]) !== null) n++;
  return n;
});
row('engine: resolve on compiled weeks', ms(resolveMs), `${fmt((RESOLVES / resolveMs) * 1000)} resolves/s`);
const TRACED = 2_000;
const [, tracedMs] = time(() => {
  for (let i = 0; i < TRACED; i++) resolve(schedules[zoneIdx[i]], instants[i]);
});
row(
  'engine: resolve with trace, uncompiled (2,000 calls)',
  ms(tracedMs),
  `${fmt((TRACED / tracedMs) * 1000)} resolves/s`,
);
console.log(`# ${fmt(playing)} of ${fmt(RESOLVES)} instants had something playing`);

// 4. The same rule expansions with rrule-temporal + croner, on a sample of zones, extrapolated.
const sample = zones.slice(0, SAMPLE);
const [refResult, refMs] = time(() => sample.map((z) => referenceInstants(z, WEEK_FROM, WEEK_TO)));
const refOccurrences = refResult.flat(2).length;
const refFullMs = (refMs / SAMPLE) * ZONE_COUNT;
row(
  `rrule-temporal + croner: expand rules (${SAMPLE} zones, extrapolated to ${ZONE_COUNT})`,
  `${fmt(refFullMs)} ms CPU (sample: ${ms(refMs)})`,
  `${fmt((refOccurrences / refMs) * 1000)} occurrences/s`,
);
const [, oursSampleMs] = time(() =>
  sample.forEach((z) =>
    z.rules.forEach((r) =>
      expandRule(parseRule(r.kind === 'rrule' ? { rrule: r.text } : { cron: r.text }, z.zone), WEEK_FROM, WEEK_TO),
    ),
  ),
);
row(`engine rule layer alone on the same sample (parse + expand)`, ms(oursSampleMs), '');

// Agreement on the sample: our rule layer (RRULE gap skip = RFC 5545 3.3.10; Vixie cron) against the references.
let disagreements = 0;
sample.forEach((z, i) =>
  z.rules.forEach((r, k) => {
    const rule = parseRule(r.kind === 'rrule' ? { rrule: r.text } : { cron: r.text }, z.zone);
    const ours = expandRule(rule, WEEK_FROM, WEEK_TO).map((o) => o.startMs);
    if (ours.join() !== refResult[i][k].join()) disagreements++;
  }),
);
console.log(`# agreement on the sample: ${SAMPLE * 5 - disagreements} of ${SAMPLE * 5} rules give identical instants`);

console.log('');
console.log('ratios (reference time / engine time; > 1 means the engine is faster):');
console.log(`  rule expansion, engine independent expand+compile vs reference: ${(refFullMs / compileMs).toFixed(2)}x`);
console.log(
  `  rule expansion, engine shared-cache expand+compile vs reference: ${(refFullMs / sharedCompileMs).toFixed(2)}x`,
);
console.log(`  rule layer alone vs reference on the sample: ${(refMs / oursSampleMs).toFixed(2)}x`);
console.log(
  `peak RSS: ${fmt(process.resourceUsage().maxRSS / 1024)} MB; load average at the end ${os.loadavg()[0].toFixed(1)}`,
);
console.log(
  `targets: whole expansion <= 1,000 ms (independent: ${fmt(compileMs)} ms, shared: ${fmt(sharedCompileMs)} ms); >= 1,000,000 resolves/s (${fmt((RESOLVES / resolveMs) * 1000)})`,
);
