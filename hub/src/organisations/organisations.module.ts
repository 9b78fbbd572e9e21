import { Module, type OnModuleInit } from '@nestjs/common';
import { ScopeResolvers } from '../auth/access/scope-resolvers';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

/** Organisation and membership management, and the 'organisation' row scope. */
@Module({
  controllers: [OrganisationsController],
  providers: [OrganisationsService],
})
export class OrganisationsModule implements OnModuleInit {
  constructor(
    private readonly resolvers: ScopeResolvers,
    private readonly organisations: OrganisationsService,
  ) {}

  onModuleInit(): void {
    this.resolvers.register('organisation', {
      canSee: async (t, id) => (await this.organisations.find(t, id)) !== null,
    });
  }
}
