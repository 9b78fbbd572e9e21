import type { LocalDateTime, LocalResolution, Occurrence, OffsetTransition } from '../rules/types';
import type { Block, RuleSpec, Schedule } from './model';

/** A block's rule, parsed once for the schedule's zone. */
export interface BoundRule {
  /** The rule as written (content lines or cron expression), for traces and plans. */
  readonly text: string;
  readonly kind: 'rrule' | 'cron';
  /**
   * Set by `cachedDeps`: the rule object and its expansions are shared by every schedule with the same (rule, zone),
   * so what the model derives from them (block intervals) may be shared too.
   */
  readonly shared?: boolean;
  /**
   * Occurrences starting in [fromMs, toMs), in order; spring-forward instances are reported with `inGap` (RRULE in
   * the rule layer's `keep` mode) so the block's gap policy decides. At most `limit`.
   */
  expand(fromMs: number, toMs: number, limit: number): Occurrence[];
}

/** The time-zone arithmetic the model needs, for one zone. */
export interface ZoneOps {
  utcToLocal(utcMs: number): LocalDateTime;
  resolveLocal(local: LocalDateTime): LocalResolution;
  transitions(fromMs: number, toMs: number): OffsetTransition[];
}

/** What the model is computed with: the rule layer by default, fakes in tests. */
export interface ScheduleDeps {
  isValidZone(zone: string): boolean;
  /** Parses a rule for `zone`; throws the rule layer's error (with `message` and `location`) when it is invalid. */
  bindRule(spec: RuleSpec, zone: string): BoundRule;
  zoneOps(zone: string): ZoneOps;
  /** The most occurrences one expansion may return. */
  maxOccurrences: number;
}

/** A validated schedule's parsed rules and zone. */
export interface Binding {
  deps: ScheduleDeps;
  zoneName: string;
  zone: ZoneOps;
  rules: Map<Block, BoundRule>;
}

const bindings = new WeakMap<Schedule, Binding>();

/** Remembers the parsed rules of a schedule `parseSchedule` produced, so operations never parse twice. */
export function rememberBinding(schedule: Schedule, binding: Binding): void {
  bindings.set(schedule, binding);
}

/**
 * The parsed rules of a schedule: those `parseSchedule` made, or, for a schedule built in code, rules parsed now with
 * the rule layer (its errors propagate).
 */
export function bindingOf(schedule: Schedule, fallback: ScheduleDeps): Binding {
  let binding = bindings.get(schedule);
  if (!binding) {
    binding = { deps: fallback, zoneName: schedule.zone, zone: fallback.zoneOps(schedule.zone), rules: new Map() };
    bindings.set(schedule, binding);
  }
  return binding;
}
