import type { Schedule } from '@roomtone/schedules';

/** Each programme a schedule names, with the JSON paths naming it (for error messages). */
export function programmesOf(schedule: Schedule): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: string, path: string) => out.set(id, [...(out.get(id) ?? []), path]);
  schedule.blocks.forEach((b, i) => add(b.programme, `blocks[${i}].programme`));
  schedule.overrides.forEach((o, i) => {
    if (o.action === 'modify' && o.programme !== undefined) add(o.programme, `overrides[${i}].programme`);
    if (o.action === 'replace') o.blocks.forEach((b, j) => add(b.programme, `overrides[${i}].blocks[${j}].programme`));
  });
  return out;
}
