/**
 * Rule-layer benchmark: the five rules (weekday dayparts, weekend dayparts, every 30 minutes at midday, every
 * 15 minutes in the evening, hourly) in 10 IANA zones, expanded for one week that contains a DST change, 10,000 zones
 * x 5 rules; then the same rules computed with rrule-temporal and croner in the same process, for a ratio.
 * Run: `node bench/run.js bench/rules/expand.ts [zones=10000]`. Rates use this process's CPU time (the machine is
 * shared); wall time is printed beside it.
 */
import os from 'node:os';
import { Cron } from 'croner';
import { RRuleTemporal } from 'rrule-temporal';
import { expandRule, parseRule, type Rule } from '../../schedules/src/rules';

const ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/Santiago',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Asia/Kolkata',
  'Asia/Tokyo',
];
const RULES: Array<{ rrule: string } | { cron: string }> = [
  { rrule: 'DTSTART:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,12,17' },
  { rrule: 'DTSTART:20260103T100000\nRRULE:FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=10,14' },
  { cron: '*/30 11-13 * * *' },
  { cron: '*/15 18-21 * * *' },
  { cron: '0 * * * *' },
];
// The week of the European spring-forward (29 March 2026).
const FROM = Date.parse('2026-03-23T00:00:00Z');
const TO = Date.parse('2026-03-30T00:00:00Z');
const zoneCount = Number(process.argv[2] ?? 10_000);

function ours(): { ms: number; cpuMs: number; occurrences: number } {
  const parsed: Rule[][] = ZONES.map((tz) => RULES.map((r) => parseRule(r, tz)));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let occurrences = 0;
  for (let z = 0; z < zoneCount; z++) {
    for (const rule of parsed[z % ZONES.length]) occurrences += expandRule(rule, FROM, TO).length;
  }
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, occurrences };
}

function reference(zones: number): { ms: number; cpuMs: number; occurrences: number } {
  const rrules = ZONES.map((tz) =>
    RULES.filter((r) => 'rrule' in r).map(
      (r) => new RRuleTemporal({ rruleString: r.rrule.replace('DTSTART:', `DTSTART;TZID=${tz}:`) }),
    ),
  );
  const crons = ZONES.map((tz) =>
    RULES.filter((r) => 'cron' in r).map((r) => new Cron(r.cron, { timezone: tz, paused: true })),
  );
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let occurrences = 0;
  for (let z = 0; z < zones; z++) {
    for (const r of rrules[z % ZONES.length]) occurrences += r.between(new Date(FROM), new Date(TO - 1), true).length;
    for (const c of crons[z % ZONES.length]) {
      let t = new Date(FROM - 1);
      for (;;) {
        const next = c.nextRun(t);
        if (next === null || next.getTime() >= TO) break;
        occurrences++;
        t = next;
      }
    }
  }
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, occurrences };
}

ours(); // warm-up
const mine = ours();
const refZones = Math.max(10, Math.round(zoneCount / 100));
const ref = reference(refZones);
const scale = zoneCount / refZones;
const rss = process.memoryUsage().rss / 2 ** 20;
const perSecond = (n: number, ms: number): string => ((n / ms) * 1000).toFixed(0);
console.log(
  `rule layer: ${zoneCount} zones x ${RULES.length} rules, one week with a DST change; load average ${os.loadavg()[0].toFixed(1)}`,
);
console.log(
  `  ours:      ${mine.cpuMs.toFixed(0)} ms CPU (${mine.ms.toFixed(0)} ms wall), ${mine.occurrences} occurrences, ` +
    `${perSecond(mine.occurrences, mine.cpuMs)} occurrences per CPU-second, ${((mine.cpuMs * 1000) / (zoneCount * RULES.length)).toFixed(2)} us CPU per rule-week`,
);
console.log(
  `  reference: rrule-temporal + croner on ${refZones} zones: ${ref.cpuMs.toFixed(0)} ms CPU (${ref.ms.toFixed(0)} ms wall), ` +
    `${ref.occurrences} occurrences, ${perSecond(ref.occurrences, ref.cpuMs)} occurrences per CPU-second; scaled to ${zoneCount} zones: ${(ref.cpuMs * scale).toFixed(0)} ms CPU`,
);
console.log(
  `  ratio (CPU): ours is ${((ref.cpuMs * scale) / mine.cpuMs).toFixed(0)}x faster; occurrences per zone ours ${(mine.occurrences / zoneCount).toFixed(1)} vs reference ${(ref.occurrences / refZones).toFixed(1)}`,
);
console.log(`  peak RSS ${rss.toFixed(0)} MiB; node ${process.version}, tzdata ${process.versions.tz}`);
