// Where the schedule model's time goes, for the same workload with the shared rule cache (so rule work is ~0):
// block instances, the timeline (instances + sort), and the whole compile. Reaches into the model's internals.
// Run: node bench/run.js bench/schedules/phases.ts [zones=10000]
import { cachedDeps, compile, defaultDeps, parseSchedule } from '@roomtone/schedules';
import { bindingOf } from '../../schedules/src/schedule/binding';
import { exceptionIndex, layerInstances } from '../../schedules/src/schedule/instances';
import { buildTimeline } from '../../schedules/src/schedule/timeline';
import { WEEK_FROM, WEEK_TO, scheduleDoc, workload } from './workload';

const zones = Number(process.argv[2]) || 10_000;
const deps = cachedDeps(defaultDeps);
const schedules = workload(zones).map((z) => parseSchedule(scheduleDoc(z), deps));
const cpuMs = (fn: () => void): string => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return `${((c.user + c.system) / 1000).toFixed(0)} ms CPU`;
};
for (let round = 1; round <= 3; round++) {
  const instances = cpuMs(() => {
    for (const s of schedules) {
      layerInstances(bindingOf(s, deps), s.blocks, -1, exceptionIndex(s), WEEK_FROM, WEEK_TO);
    }
  });
  const timeline = cpuMs(() => {
    for (const s of schedules) buildTimeline(s, bindingOf(s, deps), WEEK_FROM, WEEK_TO);
  });
  const compiled = cpuMs(() => {
    for (const s of schedules) compile(s, WEEK_FROM, WEEK_TO);
  });
  console.log(
    `round ${round}: instances ${instances} | timeline ${timeline} | compile ${compiled} (${zones} zone-weeks)`,
  );
}
