export { AppliancesModule } from './appliances.module';
export { ApplianceAuth, CurrentAppliance, APPLIANCE_AUTH } from './signed-requests/appliance-auth.decorator';
export { Appliance, type ApplianceStatus } from './entities/appliance.entity';
export { AppliancesRepository } from './appliances.repository';
