import {
  MAX_OCCURRENCES,
  expandRule,
  isValidZone,
  offsetTransitions,
  parseRule,
  resolveLocal,
  utcToLocal,
} from '../rules';
import type { ScheduleDeps } from './binding';

/** The model computed with the rule layer (RFC 5545 and cron in IANA zones). */
export const defaultDeps: ScheduleDeps = {
  isValidZone,
  bindRule(spec, zone) {
    const rule = parseRule(spec, zone);
    const isRRule = 'rrule' in spec;
    return {
      text: isRRule ? spec.rrule : spec.cron,
      kind: isRRule ? 'rrule' : 'cron',
      expand: (fromMs, toMs, limit) => expandRule(rule, fromMs, toMs, { limit, gap: 'keep' }),
    };
  },
  zoneOps(zone) {
    return {
      utcToLocal: (ms) => utcToLocal(ms, zone),
      resolveLocal: (local) => resolveLocal(local, zone),
      transitions: (fromMs, toMs) => offsetTransitions(zone, fromMs, toMs),
    };
  },
  maxOccurrences: MAX_OCCURRENCES,
};
