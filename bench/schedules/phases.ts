// Where the expansion's time goes, for the benchmark's workload: the rule layer alone (every zone's 5 rules
// expanded, as `compile` asks for them), then the whole compile, each independent and with the shared rule cache.
// Reaches into the model's internals. Run: node bench/run.js bench/schedules/phases.ts [zones=10000]
import { type Schedule, type ScheduleDeps, cachedDeps, compile, defaultDeps, parseSchedule } from '@roomtone/schedules';
import { bindingOf } from '../../schedules/src/schedule/binding';
import { maxLengthMs, ruleOf } from '../../schedules/src/schedule/instances';
import { WEEK_FROM, WEEK_TO, scheduleDoc, workload } from './workload';

const zones = Number(process.argv[2]) || 10_000;
const shared = cachedDeps(defaultDeps);
const docs = workload(zones).map(scheduleDoc);
const cpuMs = (fn: () => void): string => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return `${((c.user + c.system) / 1000).toFixed(0)} ms CPU`;
};
// Expands each block's rule over the window compile asks for; returns the occurrence count.
const ruleLayer = (schedules: Schedule[], deps: ScheduleDeps): number => {
  let n = 0;
  for (const s of schedules) {
    const binding = bindingOf(s, deps);
    for (const b of s.blocks) n += ruleOf(binding, b).expand(WEEK_FROM - maxLengthMs(b), WEEK_TO, 100_000).length;
  }
  return n;
};
for (let round = 1; round <= 3; round++) {
  // Fresh schedules each round, so nothing a previous round computed is reused except through `shared`.
  const independent = docs.map((d) => parseSchedule(d));
  const sharing = docs.map((d) => parseSchedule(d, shared));
  const rules = cpuMs(() => ruleLayer(independent, defaultDeps));
  const compileIndependent = cpuMs(() => {
    for (const s of independent) compile(s, WEEK_FROM, WEEK_TO);
  });
  const compileShared = cpuMs(() => {
    for (const s of sharing) compile(s, WEEK_FROM, WEEK_TO);
  });
  console.log(
    `round ${round}: rule layer alone (independent) ${rules} | compile independent ${compileIndependent}` +
      `  | compile shared ${compileShared} (${zones} zone-weeks)`,
  );
}
