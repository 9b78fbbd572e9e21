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

// The rule layer's isValidZone builds an Intl formatter for a zone it has not cached yet (~0.3 ms); schedules
// validate their zone on every parse, so remember the answers.
const knownZones = new Map<string, boolean>();

/** The model computed with the rule layer (RFC 5545 and cron in IANA zones). */
export const defaultDeps: ScheduleDeps = {
  isValidZone(zone) {
    let valid = knownZones.get(zone);
    if (valid === undefined) {
      valid = isValidZone(zone);
      if (knownZones.size < 10_000) knownZones.set(zone, valid);
    }
    return valid;
  },
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
