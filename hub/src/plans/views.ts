import type { PlanPayload } from '@roomtone/provisioning';

/** GET /zones/:zoneId/plan: the current plan's payload, its ETag and why it was compiled. */
export interface PlanView {
  plan: PlanPayload;
  etag: string;
  reason: string;
}
