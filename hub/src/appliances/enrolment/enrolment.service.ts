import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  createEnrolmentResponse,
  HubSigningKey,
  isProvisioningError,
  toBase64Url,
  verifyEnrolmentRequest,
  type EnrolmentResponsePayload,
  type SignedDocument,
  type Sodium,
  type VerifiedEnrolmentRequest,
} from '@roomtone/provisioning';
import { DataSource, IsNull, type EntityManager, type Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { AppError, ErrorCode } from '../../common/errors';
import { IdGenerator } from '../../common/ids/id-generator';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { provisioningClock, SODIUM } from '../../trust/sodium.provider';
import { AppliancesRepository } from '../appliances.repository';
import { Appliance } from '../entities/appliance.entity';
import { EnrolmentCode } from '../entities/enrolment-code.entity';
import { newAppliance } from '../lifecycle/new-appliance';
import { SerialQueue } from '../serial';
import { isUniqueViolation, lockZone } from '../zone-lock';
import { CodeHasher } from './code-hasher';
import {
  CODE_LOCK_AFTER_FAILURES,
  CODE_PREFIX_LENGTH,
  ENROL_FAILURES_PER_IP,
  ENROL_FAILURES_PER_PREFIX,
} from './enrolment.settings';
import { FailureThrottle } from './guess-throttle';

/** What `POST /appliances/enrol` answers. `response` is the hub-signed document the device verifies and pins. */
export interface EnrolmentResult {
  applianceId: string;
  venueId: string;
  zoneId: string;
  hubUrl: string;
  hubPublicKey: string;
  response: SignedDocument<EnrolmentResponsePayload>;
}

/**
 * Enrols a device with a one-time code. Order matters: throttles first (cheap, before any crypto or query), then the
 * request's proof of possession, then the code; the code is claimed by one conditional UPDATE, so under concurrent
 * requests exactly one device wins it.
 */
@Injectable()
export class EnrolmentService {
  private readonly perIp = new FailureThrottle(ENROL_FAILURES_PER_IP);
  private readonly perPrefix = new FailureThrottle(ENROL_FAILURES_PER_PREFIX);

  constructor(
    @Inject(SODIUM) private readonly sodium: Sodium,
    @InjectRepository(EnrolmentCode) private readonly codes: Repository<EnrolmentCode>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: AppliancesRepository,
    private readonly hasher: CodeHasher,
    private readonly hubKey: HubSigningKey,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly config: AppConfig,
    private readonly serial: SerialQueue,
    private readonly audit: AuditService,
  ) {}

  /** Verifies `body` (provisioning's EnrolmentRequest) from `ip` and creates the appliance. */
  async enrol(body: unknown, ip: string): Promise<EnrolmentResult> {
    const now = this.clock.now();
    this.assertNotThrottled(this.perIp.blockedUntil(ip, now.getTime()), 'from this address');
    let request: VerifiedEnrolmentRequest;
    try {
      request = verifyEnrolmentRequest(this.sodium, body, { clock: provisioningClock(this.clock) });
    } catch (error) {
      this.perIp.fail(ip, now.getTime());
      throw this.requestError(error);
    }
    const prefix = request.code.slice(0, CODE_PREFIX_LENGTH);
    this.assertNotThrottled(this.perPrefix.blockedUntil(prefix, now.getTime()), 'for codes like this one');
    const code = await this.codes.findOneBy({ codeHash: this.hasher.hash(request.code) });
    if (!code) {
      this.perIp.fail(ip, now.getTime());
      this.perPrefix.fail(prefix, now.getTime());
      await this.countNearMiss(prefix, now);
      throw new AppError(
        ErrorCode.EnrolmentCodeUnknown,
        'this enrolment code does not exist: check it with the installer, or ask for a new one',
      );
    }
    this.assertUsable(code, now);
    return this.serial.run(() => this.claim(code, request, now));
  }

  private async claim(code: EnrolmentCode, request: VerifiedEnrolmentRequest, now: Date): Promise<EnrolmentResult> {
    const signingKey = toBase64Url(request.publicKeys.signing);
    if (await this.appliances.signingKeyTaken(signingKey)) {
      throw new AppError(
        ErrorCode.Conflict,
        'these device keys are already enrolled: an appliance enrols once; to move it, replace it in the new zone',
      );
    }
    const appliance = newAppliance({
      id: this.ids.next(),
      venueId: code.venueId,
      zoneId: code.zoneId,
      keys: request.publicKeys,
      via: 'code',
      now,
    });
    try {
      await this.dataSource.transaction((manager) => this.claimInTransaction(manager, code, appliance, now));
    } catch (error) {
      // Two codes used at once with the same device keys: the unique signing-key index lets one through.
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.Conflict, 'these device keys are already enrolled');
      throw error;
    }
    return {
      applianceId: appliance.id,
      venueId: appliance.venueId,
      zoneId: code.zoneId,
      hubUrl: this.config.publicUrl,
      hubPublicKey: toBase64Url(this.hubKey.publicKey),
      response: createEnrolmentResponse(this.hubKey, appliance.id, request.nonce),
    };
  }

  private async claimInTransaction(
    manager: EntityManager,
    code: EnrolmentCode,
    appliance: Appliance,
    now: Date,
  ): Promise<void> {
    // Single use under concurrency: only one UPDATE can see used_at still null.
    const claimed = await manager
      .getRepository(EnrolmentCode)
      .update({ id: code.id, usedAt: IsNull(), lockedAt: IsNull() }, { usedAt: now, usedByApplianceId: appliance.id });
    if ((claimed.affected ?? 0) !== 1) {
      const latest = await manager.getRepository(EnrolmentCode).findOneByOrFail({ id: code.id });
      this.assertUsable(latest, now);
      throw new AppError(ErrorCode.EnrolmentCodeUsed, 'this enrolment code was just used: ask for a new one');
    }
    await lockZone(manager, code.zoneId);
    const current = await this.appliances.findActiveInZone(code.zoneId, manager);
    if (current && !code.replace) {
      throw new AppError(
        ErrorCode.Conflict,
        `zone ${code.zoneId} got appliance ${current.id} after this code was issued: ask for a code with replace`,
      );
    }
    if (current) {
      appliance.replacesId = current.id;
      await manager.getRepository(Appliance).update(
        { id: current.id, status: 'active' },
        {
          status: 'revoked',
          revokedAt: now,
          revokedReason: `replaced by appliance ${appliance.id}`,
          replacedById: appliance.id,
          zoneId: null,
          updatedAt: now,
        },
      );
    }
    await this.appliances.insert([appliance], manager);
    await this.audit.record(
      null,
      {
        action: 'appliance.enrol',
        entityType: 'appliance',
        entityId: appliance.id,
        after: { venueId: appliance.venueId, zoneId: appliance.zoneId, replacesId: appliance.replacesId },
      },
      manager,
    );
  }

  /** Refuses a code that is locked, used or expired, saying which (locked first: it tells the installer the most). */
  private assertUsable(code: EnrolmentCode, now: Date): void {
    if (code.lockedAt !== null) {
      throw new AppError(
        ErrorCode.EnrolmentCodeLocked,
        'this enrolment code is locked after repeated wrong attempts: ask for a new code',
      );
    }
    if (code.usedAt !== null) {
      throw new AppError(
        ErrorCode.EnrolmentCodeUsed,
        `this enrolment code was already used (${code.usedAt.toISOString()}): each code enrols one appliance; ask for a new one`,
      );
    }
    if (code.expiresAt.getTime() <= now.getTime()) {
      throw new AppError(
        ErrorCode.EnrolmentCodeExpired,
        `this enrolment code expired at ${code.expiresAt.toISOString()}: ask for a new one`,
        { expiredAt: code.expiresAt.toISOString() },
      );
    }
  }

  /** A wrong code sharing a live code's prefix counts against that code, which locks after a few such misses. */
  private async countNearMiss(prefix: string, now: Date): Promise<void> {
    const near = await this.codes.findBy({ prefix, usedAt: IsNull(), lockedAt: IsNull() });
    for (const code of near) {
      if (code.expiresAt.getTime() <= now.getTime()) continue;
      const failedAttempts = code.failedAttempts + 1;
      const lockedAt = failedAttempts >= CODE_LOCK_AFTER_FAILURES ? now : null;
      await this.codes.update({ id: code.id, usedAt: IsNull() }, { failedAttempts, lockedAt });
    }
  }

  private assertNotThrottled(until: Date | null, scope: string): void {
    if (until !== null) {
      throw new AppError(
        ErrorCode.RateLimited,
        `too many wrong enrolment attempts ${scope}: wait until ${until.toISOString()} and check the code`,
        { retryAt: until.toISOString() },
      );
    }
  }

  private requestError(error: unknown): unknown {
    if (!isProvisioningError(error)) return error;
    if (error.code === 'ENROLMENT_CODE_INVALID' || error.code === 'ENROLMENT_CODE_CHECK') {
      return new AppError(ErrorCode.EnrolmentCodeInvalid, error.message, { check: error.code });
    }
    return new AppError(ErrorCode.EnrolmentRequestInvalid, error.message, { check: error.code });
  }
}
