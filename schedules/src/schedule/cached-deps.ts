import type { Occurrence } from '../rules/types';
import type { BoundRule, ScheduleDeps } from './binding';

/**
 * Deps that share parsed rules and their expansions between schedules: many zones use the same rules (templates,
 * chains of shops), and a hub compiling thousands of zones for the same window then expands each (rule, zone)
 * once, and the model computes each block's intervals once per (rule, zone, length, gap policy, window).
 * Occurrence arrays are shared, so callers must not mutate them (the model never does). Bounded: the cache
 * is cleared when it holds `maxEntries` expansions.
 */
export function cachedDeps(base: ScheduleDeps, maxEntries = 100_000): ScheduleDeps {
  const rules = new Map<string, BoundRule>();
  const expansions = new Map<string, Occurrence[]>();
  return {
    ...base,
    bindRule(spec, zone) {
      const key = `${zone}\u0000${'rrule' in spec ? `r${spec.rrule}` : `c${spec.cron}`}`;
      const hit = rules.get(key);
      if (hit) return hit;
      const rule = base.bindRule(spec, zone);
      const shared: BoundRule = {
        text: rule.text,
        kind: rule.kind,
        shared: true,
        expand(fromMs, toMs, limit) {
          const k = `${key}\u0000${fromMs}\u0000${toMs}\u0000${limit}`;
          let occ = expansions.get(k);
          if (!occ) {
            if (expansions.size >= maxEntries) expansions.clear();
            occ = rule.expand(fromMs, toMs, limit);
            expansions.set(k, occ);
          }
          return occ;
        },
      };
      if (rules.size >= maxEntries) rules.clear();
      rules.set(key, shared);
      return shared;
    },
  };
}
