import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { enrolmentUrl, generateEnrolmentCode, parseEnrolmentCode } from '@roomtone/provisioning';
import type { Repository } from 'typeorm';
import type { Principal } from '../../auth/access/principal';
import { AuditService } from '../../audit/audit.service';
import { AppError, ErrorCode } from '../../common/errors';
import { IdGenerator } from '../../common/ids/id-generator';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { ZonesRepository } from '../../tenancy/repositories/zones.repository';
import { AppliancesRepository } from '../appliances.repository';
import type { CreateEnrolmentCodeDto, EnrolmentCodeView } from '../dto/enrolment-code.dto';
import { EnrolmentCode } from '../entities/enrolment-code.entity';
import { CodeHasher } from './code-hasher';
import { CODE_PREFIX_LENGTH } from './enrolment.settings';

/** Issues one-time enrolment codes for zones. */
@Injectable()
export class EnrolmentCodesService {
  constructor(
    @InjectRepository(EnrolmentCode) private readonly codes: Repository<EnrolmentCode>,
    private readonly zones: ZonesRepository,
    private readonly appliances: AppliancesRepository,
    private readonly hasher: CodeHasher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Randomness for codes; a field so tests can replace it. */
  random: (length: number) => Uint8Array = (length) => randomBytes(length);

  /**
   * A new code for `zoneId` of `venueId` (the guard already checked the caller may act on the venue). A zone that
   * has an appliance only gets a code with `replace: true`, so nobody displaces a working unit by accident.
   */
  async issue(
    principal: Principal,
    venueId: string,
    zoneId: string,
    dto: CreateEnrolmentCodeDto,
  ): Promise<EnrolmentCodeView> {
    const zone = await this.zones.findById(zoneId);
    if (!zone || zone.venueId !== venueId) throw AppError.notFound(`zone ${zoneId} of venue ${venueId}`);
    const replace = dto.replace ?? false;
    const current = await this.appliances.findActiveInZone(zoneId);
    if (current && !replace) {
      throw new AppError(
        ErrorCode.Conflict,
        `zone ${zoneId} is served by appliance ${current.id}: ask for a code with "replace": true to replace it, or revoke it first`,
        { applianceId: current.id },
      );
    }
    const now = this.clock.now();
    const ttlMs = dto.ttlHours !== undefined ? dto.ttlHours * 3_600_000 : this.config.enrolmentCodeTtlMs;
    for (let attempt = 0; ; attempt++) {
      const code = generateEnrolmentCode(this.random);
      const canonical = parseEnrolmentCode(code);
      const codeHash = this.hasher.hash(canonical);
      // 50 random bits make a collision with a stored code vanishingly rare; retry rather than fail if it happens.
      if ((await this.codes.countBy({ codeHash })) > 0 && attempt < 3) continue;
      const row = this.codes.create({
        id: this.ids.next(),
        codeHash,
        prefix: canonical.slice(0, CODE_PREFIX_LENGTH),
        venueId,
        zoneId,
        replace,
        createdBy: principal.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ttlMs),
        usedAt: null,
        usedByApplianceId: null,
        failedAttempts: 0,
        lockedAt: null,
      });
      await this.codes.insert(row);
      // Never the code itself: the audit log is readable by operators, the code is a credential until used.
      await this.audit.record(principal, {
        action: 'enrolment_code.issue',
        entityType: 'zone',
        entityId: zoneId,
        after: { venueId, zoneId, replace, expiresAt: row.expiresAt.toISOString() },
      });
      return {
        code,
        url: enrolmentUrl(this.config.publicUrl, code),
        venueId,
        zoneId,
        replace,
        expiresAt: row.expiresAt.toISOString(),
      };
    }
  }
}
