import { Module } from '@nestjs/common';
import { ApplianceApiModule } from './appliance-api/appliance-api.module';
import { DeliveryModule } from './appliance-api/delivery/delivery.module';
import { AppliancesModule } from './appliances/appliances.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { PlaysModule } from './plays/plays.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { TenancyModule } from './tenancy/tenancy.module';
import { UsersModule } from './users/users.module';
import { LicencesModule } from './licences/licences.module';
import { PlanInvalidationModule } from './plans/invalidation';
import { PlansModule } from './plans/plans.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { ZoneSchedulesModule } from './zone-schedules/zone-schedules.module';
import { VenuesModule } from './venues/venues.module';

/** The hub. Each feature adds its module here, one line each. */
@Module({
  imports: [
    ConfigModule,
    CommonModule,
    DatabaseModule,
    MetricsModule,
    HealthModule,
    TenancyModule,
    DemoModule,
    PlanInvalidationModule,
    // Feature modules below this line.
    AuthModule,
    AuditModule,
    VenuesModule,
    OrganisationsModule,
    UsersModule,
    CatalogModule,
    AppliancesModule,
    LicencesModule,
    ApplianceApiModule,
    DeliveryModule,
    PlansModule,
    ProgrammesModule,
    ZoneSchedulesModule,
    PlaysModule,
  ],
})
export class AppModule {}
