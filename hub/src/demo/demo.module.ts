import { Global, Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy/tenancy.module';
import { DemoSeedRegistry } from './demo-seed-registry';
import { consoleAnnouncer, DEMO_ANNOUNCER, DEMO_PASSWORD_SOURCE, DemoSeeder, randomPassword } from './demo-seeder';

/** First-run demo data. Global so any feature can inject DemoSeedRegistry and add its demo step. */
@Global()
@Module({
  imports: [TenancyModule],
  providers: [
    DemoSeedRegistry,
    DemoSeeder,
    { provide: DEMO_PASSWORD_SOURCE, useValue: randomPassword },
    { provide: DEMO_ANNOUNCER, useValue: consoleAnnouncer },
  ],
  exports: [DemoSeedRegistry],
})
export class DemoModule {}
