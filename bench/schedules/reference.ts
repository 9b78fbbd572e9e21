// The same rule expansions computed directly with rrule-temporal (RRULE) and croner (cron), for comparison.
import { Cron } from 'croner';
import { RRuleTemporal } from 'rrule-temporal';
import type { WorkloadZone } from './workload';

/** Instants (epoch ms) of one zone's rules in [fromMs, toMs), per rule, computed by the reference libraries. */
export function referenceInstants(z: WorkloadZone, fromMs: number, toMs: number): number[][] {
  return z.rules.map((r) => {
    if (r.kind === 'rrule') {
      // rrule-temporal reads DTSTART's zone from TZID; our documents leave DTSTART floating in the venue's zone.
      const text = r.text.replace(/^DTSTART:/, `DTSTART;TZID=${z.zone}:`);
      const rule = new RRuleTemporal({ rruleString: text });
      return rule
        .between(new Date(fromMs), new Date(toMs), true)
        .map((d) => d.epochMilliseconds)
        .filter((ms) => ms >= fromMs && ms < toMs);
    }
    const job = new Cron(r.text, { timezone: z.zone, paused: true });
    const out: number[] = [];
    let next = job.nextRun(new Date(fromMs - 1000));
    while (next && next.getTime() < toMs) {
      out.push(next.getTime());
      next = job.nextRun(next);
    }
    return out;
  });
}
