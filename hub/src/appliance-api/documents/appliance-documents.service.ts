import { Injectable } from '@nestjs/common';
import type { LicencePayload } from '@roomtone/provisioning';
import type { Appliance } from '../../appliances/entities/appliance.entity';
import { AppError, ErrorCode } from '../../common/errors';
import { LicencesService } from '../../licences/licences.service';
import type { LicenceTerms } from '../../licences/views';
import { DocumentSigner } from '../../trust/document-signer.service';
import { CurrentPlans, type CurrentPlan, type CurrentPlanId } from '../ports';
import { licenceEtag } from './etag';
import { PlanBodies } from './plan-bodies';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The licence in force for an appliance, with its ETag. */
export interface ApplianceLicence {
  zoneId: string;
  terms: LicenceTerms;
  etag: string;
}

/** The plan and licence documents an appliance fetches, and the ETags check-in compares against. */
@Injectable()
export class ApplianceDocuments {
  constructor(
    private readonly plans: CurrentPlans,
    private readonly licences: LicencesService,
    private readonly signer: DocumentSigner,
    private readonly bodies: PlanBodies,
  ) {}

  /** The current plan of the appliance's zone; null when it has no zone or the zone no plan. */
  currentPlan(appliance: Appliance): Promise<CurrentPlan | null> {
    return appliance.zoneId === null ? Promise.resolve(null) : this.plans.current(appliance.zoneId);
  }

  /** Which plan is current for the appliance's zone (id and ETag, for check-in); null as for {@link currentPlan}. */
  currentPlanId(appliance: Appliance): Promise<CurrentPlanId | null> {
    return appliance.zoneId === null ? Promise.resolve(null) : this.plans.currentId(appliance.zoneId);
  }

  /** The licence in force for the appliance's zone now; null when none (expired, revoked, pending, not covered). */
  async currentLicence(appliance: Appliance): Promise<ApplianceLicence | null> {
    const zoneId = appliance.zoneId;
    if (zoneId === null) return null;
    const terms = await this.licences.effectiveLicence(zoneId);
    if (terms === null) return null;
    return { zoneId, terms, etag: licenceEtag(terms.licenceId, terms.version, zoneId, appliance.id) };
  }

  /** GET /appliance/v1/plan: the stored signed text; 404 NO_PLAN when there is none. */
  async plan(appliance: Appliance): Promise<CurrentPlan> {
    const plan = await this.currentPlan(appliance);
    if (plan !== null) return plan;
    throw new AppError(
      ErrorCode.NoPlan,
      appliance.zoneId === null
        ? `appliance ${appliance.id} is not in a zone, so it has no plan: an installer assigns it to a zone`
        : `zone ${appliance.zoneId} has no plan yet: publish its schedule; keep playing the last good plan meanwhile`,
    );
  }

  /**
   * GET /appliance/v1/plan-bodies/:sha256: a body (format 2) a plan of the appliance's zone references, as its exact
   * bytes. 400 VALIDATION_FAILED for a malformed hash, 404 PLAN_BODY_NOT_FOUND when none is stored, 403 NOT_IN_PLAN
   * when no kept plan of the caller's zone references it (another tenant's programmes stay theirs).
   */
  async planBody(appliance: Appliance, sha256: string): Promise<string> {
    if (!SHA256_HEX.test(sha256)) {
      throw new AppError(
        ErrorCode.ValidationFailed,
        `plan body ${sha256.slice(0, 80)} is not a SHA-256 in lowercase hex (64 characters): use a hash from the plan's timeline or catalogue`,
      );
    }
    const text = await this.bodies.body(sha256);
    if (text === null) {
      throw new AppError(
        ErrorCode.PlanBodyNotFound,
        `no plan body ${sha256} is stored (pruned with its plans?): fetch the current plan again`,
      );
    }
    if (appliance.zoneId === null || !(await this.bodies.bodyReferenced(appliance.zoneId, sha256))) {
      throw new AppError(
        ErrorCode.NotInPlan,
        `plan body ${sha256} is not referenced by a plan of this appliance's zone: fetch the current plan and the bodies it names`,
      );
    }
    return text;
  }

  /** GET /appliance/v1/licence: the signed licence document; 404 NO_LICENCE when none is in force. */
  async licence(appliance: Appliance): Promise<{ etag: string; json: string }> {
    const licence = await this.currentLicence(appliance);
    if (licence === null) {
      throw new AppError(
        ErrorCode.NoLicence,
        appliance.zoneId === null
          ? `appliance ${appliance.id} is not in a zone, so no licence covers it: an installer assigns it to a zone`
          : `no licence is in force for zone ${appliance.zoneId} (none, expired, revoked, not yet valid or not covering this zone): play nothing until an operator grants one`,
      );
    }
    const { terms, zoneId } = licence;
    const payload = {
      type: 'roomtone.licence' as const,
      applianceId: appliance.id,
      zoneId,
      terms: {
        licenceId: terms.licenceId,
        version: terms.version,
        venueId: terms.venueId,
        tier: terms.tier,
        validFrom: terms.validFrom.toISOString(),
        validUntil: terms.validUntil.toISOString(),
        leaseDays: terms.leaseDays,
      },
    } satisfies LicencePayload;
    return { etag: licence.etag, json: JSON.stringify(this.signer.sign(payload)) };
  }
}
