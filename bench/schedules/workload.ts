// The benchmark workload: 10,000 zones x 5 rules across 10 IANA zones, over one week that contains a clock change.

/** The week: Monday 2026-03-23 to Monday 2026-03-30 UTC; Europe changes clocks on Sunday 2026-03-29. */
export const WEEK_FROM = Date.UTC(2026, 2, 23);
export const WEEK_TO = Date.UTC(2026, 2, 30);

/** Six zones change clocks inside the week; the others cover the far west and east, the south and +05:30. */
export const ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'Europe/Paris',
  'Europe/Helsinki',
  'Europe/Lisbon',
  'Europe/Madrid',
  'America/New_York',
  'America/Los_Angeles',
  'Australia/Sydney',
  'Asia/Kolkata',
];

/** One rule of a zone, as both engines read it. */
export interface WorkloadRule {
  id: string;
  kind: 'rrule' | 'cron';
  /** RRULE content lines with a floating DTSTART (read in the zone), or a cron expression. */
  text: string;
  /** ISO 8601 duration of each block occurrence. */
  duration: string;
  priority: number;
}

export interface WorkloadZone {
  zone: string;
  rules: WorkloadRule[];
}

/**
 * The five rules of zone `i`, varied by zone (opening hours, minutes, DTSTART) so that zones do not share identical
 * rules: weekday dayparts, weekend dayparts, every 30 minutes at midday, every 15 minutes in the evening, hourly.
 */
export function zoneRules(i: number): WorkloadRule[] {
  const open = 6 + (i % 3); // 06, 07 or 08
  const minute = (i * 7) % 30; // 0..29
  const evening = 17 + (i % 3); // 17..19
  const day = 5 + (i % 5); // DTSTART on 2026-01-05..09
  const pad = (n: number): string => String(n).padStart(2, '0');
  return [
    {
      id: 'weekday-dayparts',
      kind: 'rrule',
      text: `DTSTART:202601${pad(day)}T${pad(open)}${pad(minute)}00\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=${open},${open + 4},${open + 8};BYMINUTE=${minute}`,
      duration: 'PT4H',
      priority: 1,
    },
    {
      id: 'weekend-dayparts',
      kind: 'rrule',
      text: `DTSTART:202601${pad(day)}T${pad(open + 2)}0000\nRRULE:FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=${open + 2},${open + 7},${open + 12}`,
      duration: 'PT5H',
      priority: 1,
    },
    {
      id: 'midday-30min',
      kind: 'cron',
      text: `${minute % 30},${(minute % 30) + 30} 11-13 * * *`,
      duration: 'PT30M',
      priority: 2,
    },
    {
      id: 'evening-15min',
      kind: 'rrule',
      text: `DTSTART:202601${pad(day)}T${pad(evening)}0000\nRRULE:FREQ=MINUTELY;INTERVAL=15;BYHOUR=${evening},${evening + 1},${evening + 2},${evening + 3}`,
      duration: 'PT15M',
      priority: 3,
    },
    {
      id: 'hourly',
      kind: 'cron',
      text: `${minute} * * * *`,
      duration: 'PT1H',
      priority: 0,
    },
  ];
}

/** The workload's zones. */
export function workload(zones: number): WorkloadZone[] {
  return Array.from({ length: zones }, (_, i) => ({ zone: ZONES[i % ZONES.length], rules: zoneRules(i) }));
}

/** A zone's schedule document (format v1). */
export function scheduleDoc(z: WorkloadZone): unknown {
  return {
    version: 1,
    zone: z.zone,
    blocks: z.rules.map((r) => ({
      id: r.id,
      rule: r.kind === 'rrule' ? { rrule: r.text } : { cron: r.text },
      duration: r.duration,
      programme: `${r.id}-programme`,
      volume: 50,
      priority: r.priority,
    })),
  };
}

/** A small seeded PRNG (mulberry32), so every run resolves the same instants. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
