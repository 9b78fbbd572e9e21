import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GroupCommit } from '../database/group-commit';
import { TenancyModule } from '../tenancy/tenancy.module';
import { TrustModule } from '../trust/trust.module';
import { AppliancesRepository } from './appliances.repository';
import { CodeHasher } from './enrolment/code-hasher';
import { EnrolmentCodesService } from './enrolment/enrolment-codes.service';
import { EnrolmentController } from './enrolment/enrolment.controller';
import { EnrolmentService } from './enrolment/enrolment.service';
import { Appliance } from './entities/appliance.entity';
import { EnrolmentCode } from './entities/enrolment-code.entity';
import { SignatureNonce } from './entities/signature-nonce.entity';
import { ApplianceLifecycleService } from './lifecycle/appliance-lifecycle.service';
import { AppliancesController } from './lifecycle/appliances.controller';
import { SerialQueue } from './serial';
import { ApplianceApiController } from './signed-requests/appliance-api.controller';
import { DatabaseNonceStore } from './signed-requests/database-nonce-store';
import { SignedRequestGuard } from './signed-requests/signed-request.guard';

/**
 * Appliances: enrolment codes and enrolment, factory bundles, revoke/replace/rotate, and the signed-request guard
 * that later appliance endpoints (check-in, plans, downloads, plays) put on with `@ApplianceAuth()`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Appliance, EnrolmentCode, SignatureNonce]), TenancyModule, TrustModule],
  controllers: [EnrolmentController, AppliancesController, ApplianceApiController],
  providers: [
    AppliancesRepository,
    CodeHasher,
    EnrolmentCodesService,
    EnrolmentService,
    ApplianceLifecycleService,
    SerialQueue,
    DatabaseNonceStore,
    SignedRequestGuard,
    GroupCommit,
  ],
  exports: [AppliancesRepository, SignedRequestGuard, DatabaseNonceStore, GroupCommit],
})
export class AppliancesModule {}
