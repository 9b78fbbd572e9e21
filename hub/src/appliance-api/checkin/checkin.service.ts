import { Injectable } from '@nestjs/common';
import type { CheckinRequest, CheckinResponse } from '@roomtone/provisioning';
import type { Appliance } from '../../appliances/entities/appliance.entity';
import type { SignedNonce } from '../../appliances/signed-requests/database-nonce-store';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { DocumentSigner } from '../../trust/document-signer.service';
import { ApplianceDocuments } from '../documents/appliance-documents.service';
import { PlaysProgress } from '../ports';
import { ApplianceStatusRow } from '../status/appliance-status.entity';
import { ApplianceStatusRepository } from '../status/appliance-status.repository';

/** Check-in: store what the appliance reports, answer what waits for it. */
@Injectable()
export class CheckinService {
  constructor(
    private readonly statuses: ApplianceStatusRepository,
    private readonly documents: ApplianceDocuments,
    private readonly plays: PlaysProgress,
    private readonly signer: DocumentSigner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records the report with the request's nonce (one transaction, durable before the answer), then says whether a
   * new plan or licence waits.
   */
  async checkin(appliance: Appliance, report: CheckinRequest, nonce: SignedNonce): Promise<CheckinResponse> {
    const now = this.clock.now();
    await this.statuses.record(statusRow(appliance.id, report, now), nonce);
    const [plan, licence, storedThrough] = await Promise.all([
      this.documents.currentPlanId(appliance),
      this.documents.currentLicence(appliance),
      this.plays.storedThrough(appliance.id),
    ]);
    const planId = plan?.planId ?? null;
    const licenceEtag = licence?.etag ?? null;
    return {
      time: this.signer.signedTime(appliance.id),
      plan: { id: planId, etag: plan?.etag ?? null, changed: report.planId !== planId },
      licence: { etag: licenceEtag, changed: report.licenceEtag !== licenceEtag },
      checkinIntervalSeconds: this.config.checkinIntervalSeconds,
      playsStoredThrough: storedThrough,
    };
  }
}

/** The status row a check-in leaves: online again, the skew measured against the hub's clock. */
export function statusRow(applianceId: string, report: CheckinRequest, now: Date): ApplianceStatusRow {
  return Object.assign(new ApplianceStatusRow(), {
    applianceId,
    lastSeenAt: now,
    clockSkewMs: Date.parse(report.clock) - now.getTime(),
    state: report.state,
    softwareVersion: report.softwareVersion,
    uptimeSeconds: report.uptimeSeconds,
    nowPlaying: report.nowPlaying === null ? null : { ...report.nowPlaying },
    cache: { ...report.cache },
    diskFreeBytes: report.disk.freeBytes,
    playLogPending: report.playLog.pending,
    playLogLastSequence: report.playLog.lastSequence,
    planId: report.planId,
    licenceEtag: report.licenceEtag,
    recentErrors: report.errors.slice(0, 20).map((e) => ({ at: e.at, message: e.message })),
    online: true,
    offlineSince: null,
  } satisfies ApplianceStatusRow);
}
