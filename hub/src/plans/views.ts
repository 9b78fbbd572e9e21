import type { PlanPayload } from '@roomtone/provisioning';

/** GET /zones/:zoneId/plan: the current plan's payload, its ETag and why it was compiled; all null before the first. */
export interface PlanView {
  plan: PlanPayload | null;
  etag: string | null;
  reason: string | null;
}
