import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  fromBase64Url,
  isProvisioningError,
  toBase64Url,
  verifyKeyRotation,
  type Sodium,
} from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { passes, type Principal, type TenantFilter } from '../../auth/access/principal';
import { AppError, ErrorCode } from '../../common/errors';
import { IdGenerator } from '../../common/ids/id-generator';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { VenuesRepository } from '../../tenancy/repositories/venues.repository';
import { ZonesRepository } from '../../tenancy/repositories/zones.repository';
import { DocumentSigner } from '../../trust/document-signer.service';
import { provisioningClock, SODIUM } from '../../trust/sodium.provider';
import { AppliancesRepository } from '../appliances.repository';
import type { ApplianceView, BundleDto } from '../dto/appliance.dto';
import { Appliance } from '../entities/appliance.entity';
import { SerialQueue } from '../serial';
import { lockZone } from '../zone-lock';
import type { ApplianceStatusView } from './appliance-status.dto';
import { venueStatusViews, withStatus } from './appliance-status-views';
import { applianceView } from './appliance-view';
import { newAppliance } from './new-appliance';

/** Factory bundles, revocation, replacement and key rotation. */
@Injectable()
export class ApplianceLifecycleService {
  constructor(
    @Inject(SODIUM) private readonly sodium: Sodium,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: AppliancesRepository,
    private readonly venues: VenuesRepository,
    private readonly zones: ZonesRepository,
    private readonly signer: DocumentSigner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly config: AppConfig,
    private readonly serial: SerialQueue,
    private readonly audit: AuditService,
  ) {}

  /**
   * Registers factory-made key sets as appliances of `venueId`, not yet in a zone. All or nothing: a duplicate key
   * (in the request or already enrolled) refuses the whole bundle, so the CLI writes no keystore.
   */
  async bundle(
    principal: Principal,
    venueId: string,
    dto: BundleDto,
  ): Promise<{ venueId: string; hubUrl: string; hubPublicKey: string; appliances: { id: string; signing: string }[] }> {
    if (!(await this.venues.findById(venueId))) throw AppError.notFound(`venue ${venueId}`);
    const signing = dto.appliances.map((a) => a.publicKeys.signing);
    if (new Set(signing).size !== signing.length) {
      throw AppError.validation([{ field: 'appliances', problems: ['the same signing key appears twice'] }]);
    }
    const now = this.clock.now();
    const rows = dto.appliances.map((a) =>
      newAppliance({
        id: this.ids.next(),
        venueId,
        zoneId: null,
        keys: { signing: this.key(a.publicKeys.signing), encryption: this.key(a.publicKeys.encryption) },
        via: 'bundle',
        now,
      }),
    );
    await this.serial.run(() =>
      this.dataSource.transaction(async (manager) => {
        for (const key of signing) {
          if (await this.appliances.signingKeyTaken(key, manager)) {
            throw new AppError(ErrorCode.Conflict, `signing key ${key} is already registered: generate a new bundle`);
          }
        }
        // Chunks keep each INSERT under SQLite's bound-parameter limit.
        for (let i = 0; i < rows.length; i += 50) await this.appliances.insert(rows.slice(i, i + 50), manager);
        await this.audit.record(
          principal,
          {
            action: 'appliance.bundle',
            entityType: 'venue',
            entityId: venueId,
            after: { applianceIds: rows.map((r) => r.id) },
          },
          manager,
        );
      }),
    );
    return {
      venueId,
      hubUrl: this.config.publicUrl,
      hubPublicKey: this.signer.publicKey,
      appliances: rows.map((r) => ({ id: r.id, signing: r.signingKey })),
    };
  }

  /** Revokes appliance `id` at once: its next signed request fails with 401 and `reason`. */
  async revoke(principal: Principal, tenants: TenantFilter, id: string, reason: string): Promise<ApplianceView> {
    const appliance = await this.visible(tenants, id);
    if (appliance.status === 'revoked') {
      throw new AppError(ErrorCode.Conflict, `appliance ${id} is already revoked (${appliance.revokedReason ?? ''})`);
    }
    const now = this.clock.now();
    await this.appliances.updateWhere(
      { id, status: 'active' },
      { status: 'revoked', revokedAt: now, revokedReason: reason, updatedAt: now },
    );
    await this.audit.record(principal, {
      action: 'appliance.revoke',
      entityType: 'appliance',
      entityId: id,
      before: { status: 'active' },
      after: { status: 'revoked', reason },
    });
    return applianceView(await this.found(id));
  }

  /**
   * `applianceId` takes over `zoneId`; the zone's current appliance is revoked and the lineage recorded both ways.
   * Plans and play history belong to the zone, so they follow without copying.
   */
  async replace(
    principal: Principal,
    zoneId: string,
    applianceId: string,
  ): Promise<{ zoneId: string; appliance: ApplianceView; replaced: ApplianceView | null }> {
    const zone = await this.zones.findById(zoneId);
    if (!zone) throw AppError.notFound(`zone ${zoneId}`);
    const now = this.clock.now();
    const replacedId = await this.serial.run(() =>
      this.dataSource.transaction(async (manager) => {
        await lockZone(manager, zoneId);
        const next = await this.appliances.findById(applianceId, manager);
        if (!next || next.venueId !== zone.venueId) throw AppError.notFound(`appliance ${applianceId} of this venue`);
        if (next.status !== 'active') {
          throw new AppError(ErrorCode.Conflict, `appliance ${applianceId} is revoked: enrol or bundle a new one`);
        }
        const current = await this.appliances.findActiveInZone(zoneId, manager);
        if (current?.id === applianceId) {
          throw new AppError(ErrorCode.Conflict, `appliance ${applianceId} already serves zone ${zoneId}`);
        }
        if (next.zoneId !== null) {
          throw new AppError(
            ErrorCode.Conflict,
            `appliance ${applianceId} serves zone ${next.zoneId}: replace it there first or use a spare appliance`,
          );
        }
        const repo = manager.getRepository(Appliance);
        if (current) {
          await repo.update(
            { id: current.id },
            {
              status: 'revoked',
              revokedAt: now,
              revokedReason: `replaced by appliance ${applianceId}`,
              replacedById: applianceId,
              zoneId: null,
              updatedAt: now,
            },
          );
        }
        await repo.update({ id: applianceId }, { zoneId, replacesId: current?.id ?? null, updatedAt: now });
        await this.audit.record(
          principal,
          {
            action: 'appliance.replace',
            entityType: 'zone',
            entityId: zoneId,
            before: { applianceId: current?.id ?? null },
            after: { applianceId },
          },
          manager,
        );
        return current?.id ?? null;
      }),
    );
    return {
      zoneId,
      appliance: applianceView(await this.found(applianceId)),
      replaced: replacedId ? applianceView(await this.found(replacedId)) : null,
    };
  }

  /** Replaces the signed-in appliance's public keys with those of a verified rotation message. */
  async rotate(appliance: Appliance, message: unknown): Promise<{ applianceId: string; signingKey: string }> {
    let keys;
    try {
      keys = verifyKeyRotation(this.sodium, message, {
        applianceId: appliance.id,
        currentSigningKey: this.key(appliance.signingKey),
        clock: provisioningClock(this.clock),
        maxSkewMs: this.config.signatureMaxSkewMs,
      });
    } catch (error) {
      if (isProvisioningError(error)) {
        throw new AppError(ErrorCode.KeyRotationInvalid, error.message, { check: error.code });
      }
      throw error;
    }
    const signingKey = toBase64Url(keys.signing);
    if (await this.appliances.signingKeyTaken(signingKey)) {
      throw new AppError(ErrorCode.Conflict, 'the new signing key is already in use: generate fresh keys');
    }
    const now = this.clock.now();
    // Conditional on the old key: two rotations racing cannot both win.
    const changed = await this.appliances.updateWhere(
      { id: appliance.id, signingKey: appliance.signingKey, status: 'active' },
      { signingKey, encryptionKey: toBase64Url(keys.encryption), keysRotatedAt: now, updatedAt: now },
    );
    if (changed !== 1) throw new AppError(ErrorCode.Conflict, 'the keys changed meanwhile: reload the keystore');
    await this.audit.record(null, {
      action: 'appliance.keys_rotate',
      entityType: 'appliance',
      entityId: appliance.id,
      before: { signingKey: appliance.signingKey },
      after: { signingKey },
    });
    return { applianceId: appliance.id, signingKey };
  }

  /** The venue's appliances with their live status (the route's access rule has checked the venue). */
  listForVenue(venueId: string): Promise<ApplianceStatusView[]> {
    return venueStatusViews(this.dataSource, venueId, this.clock.now(), this.config.applianceOfflineAfterMs);
  }

  /** One appliance the caller may see, with its live status. */
  async status(tenants: TenantFilter, id: string): Promise<ApplianceStatusView> {
    const appliance = await this.visible(tenants, id);
    const [view] = await withStatus(
      this.dataSource,
      [appliance],
      this.clock.now(),
      this.config.applianceOfflineAfterMs,
    );
    return view;
  }

  /** The appliance named `id` when the caller's tenants include its venue; 404 otherwise (ids cannot be probed). */
  private async visible(tenants: TenantFilter, id: string): Promise<Appliance> {
    const appliance = await this.appliances.findById(id);
    const venue = appliance ? await this.venues.findById(appliance.venueId) : null;
    if (!appliance || !venue || !passes(tenants, venue.organisationId, venue.id)) {
      throw AppError.notFound(`appliance ${id}`);
    }
    return appliance;
  }

  private async found(id: string): Promise<Appliance> {
    const appliance = await this.appliances.findById(id);
    if (!appliance) throw AppError.notFound(`appliance ${id}`);
    return appliance;
  }

  private key(text: string): Uint8Array {
    const key = fromBase64Url(text, 32);
    if (!key) throw AppError.validation([{ field: 'publicKeys', problems: ['not a 32-byte base64url key'] }]);
    return key;
  }
}
