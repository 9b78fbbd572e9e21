import type { ApplianceState, LicenceTermsDoc } from '@roomtone/provisioning';
import { type TimeVerdict } from '../time';
import { type PlanIndex } from './plan-index';

/** May the appliance play at this instant, and under which licence tier; if not, the state and why. */
export type GateVerdict =
  | { open: true; nowMs: number; tier: 'full' | 'preview'; leaseUntilMs: number }
  | { open: false; state: ApplianceState; reason: string; nowMs: number | null };

export interface GateInputs {
  time: TimeVerdict;
  plan: PlanIndex | null;
  /** The licence document's terms if one was fetched, else the plan's. */
  licence: LicenceTermsDoc | null;
  /** Signed hub time of the last successful check-in (epoch ms), if any. */
  lastHubTimeMs: number | null;
}

const DAY_MS = 86_400_000;

/**
 * The conditions under which nothing plays, checked in this order: no trustworthy time, no plan, no licence, outside
 * the plan's horizon, licence not valid at the instant, offline lease over. The lease runs from the last signed hub
 * time (this process's check-in, else the stored one); with none, from the plan's compiledAt (the plan was fetched
 * after it, so this never lengthens it).
 */
export function evaluateGate(input: GateInputs): GateVerdict {
  const { time, plan, licence } = input;
  if (!time.trusted) return { open: false, state: 'clock-untrusted', reason: time.reason, nowMs: null };
  const now = time.nowMs;
  const iso = (ms: number): string => new Date(ms).toISOString();
  if (!plan) return { open: false, state: 'no-plan', reason: 'no plan received from the hub yet', nowMs: now };
  if (!licence) {
    return { open: false, state: 'no-licence', reason: 'no licence in force for this zone', nowMs: now };
  }
  if (now < plan.fromMs) {
    return { open: false, state: 'silent', reason: `the plan starts at ${iso(plan.fromMs)}`, nowMs: now };
  }
  if (now >= plan.untilMs) {
    return {
      open: false,
      state: 'plan-expired',
      reason: `the plan ended at ${iso(plan.untilMs)} and no newer plan was received`,
      nowMs: now,
    };
  }
  const validFrom = Date.parse(licence.validFrom);
  const validUntil = Date.parse(licence.validUntil);
  if (!(now >= validFrom && now < validUntil)) {
    return {
      open: false,
      state: 'no-licence',
      reason: `licence ${licence.licenceId} is valid from ${licence.validFrom} until ${licence.validUntil}`,
      nowMs: now,
    };
  }
  const leaseFrom = input.lastHubTimeMs ?? plan.compiledAtMs;
  const leaseUntilMs = leaseFrom + licence.leaseDays * DAY_MS;
  if (now >= leaseUntilMs) {
    return {
      open: false,
      state: 'lease-expired',
      reason: `offline lease of ${licence.leaseDays} days ended at ${iso(leaseUntilMs)} (last hub contact ${iso(leaseFrom)}): reconnect the appliance to the network`,
      nowMs: now,
    };
  }
  return { open: true, nowMs: now, tier: licence.tier, leaseUntilMs };
}
