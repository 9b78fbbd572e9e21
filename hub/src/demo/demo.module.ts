import { Global, Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy/tenancy.module';
import { DemoSeedRegistry } from './demo-seed-registry';
import { DemoAnnouncements } from './demo-announcements';
import { DEMO_PASSWORD_SOURCE, DemoSeeder, randomPassword } from './demo-seeder';

/** First-run demo data. Global so any feature can inject DemoSeedRegistry and add its demo step. */
@Global()
@Module({
  imports: [TenancyModule],
  providers: [
    DemoSeedRegistry,
    DemoSeeder,
    { provide: DEMO_PASSWORD_SOURCE, useValue: randomPassword },
    DemoAnnouncements,
  ],
  exports: [DemoSeedRegistry, DemoAnnouncements],
})
export class DemoModule {}
