import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../auth/password/password-hasher';
import { AppConfig } from '../config/app-config';
import { MembershipsRepository } from '../tenancy/repositories/memberships.repository';
import { OrganisationsRepository } from '../tenancy/repositories/organisations.repository';
import { UsersRepository } from '../tenancy/repositories/users.repository';
import { VenuesRepository } from '../tenancy/repositories/venues.repository';
import { ZonesRepository } from '../tenancy/repositories/zones.repository';
import type { User } from '../tenancy/entities';
import type { Role } from '../tenancy/roles';
import {
  DEMO_BUSINESS,
  DEMO_LABEL,
  DEMO_OPENING_HOURS,
  DEMO_USERS,
  DEMO_VENUE,
  DEMO_VENUE_GROUP,
  DEMO_ZONES,
} from './demo-data';
import { DemoAnnouncements } from './demo-announcements';
import { DemoSeedRegistry, type DemoContext } from './demo-seed-registry';

/** Random source for the demo password; a token so tests can pin it. */
export const DEMO_PASSWORD_SOURCE = Symbol('DEMO_PASSWORD_SOURCE');
export type PasswordSource = () => string;

/** 16 URL-safe characters from 96 random bits: above auth's 12-character minimum, easy to copy. */
export const randomPassword: PasswordSource = () => randomBytes(12).toString('base64url');

/** The login instructions, printed once, when the demo data is created. */
export function loginInstructions(url: string, password: string): string {
  const rows = (Object.keys(DEMO_USERS) as Role[]).map((role) => `    ${role.padEnd(14)} ${DEMO_USERS[role].email}`);
  return [
    '',
    'Roomtone demo data created. Sign in at:',
    `    ${url}`,
    'with any of these accounts (all share one password, shown only now; change it after signing in):',
    ...rows,
    `    password       ${password}`,
    '',
  ].join('\n');
}

/**
 * Creates the demo data on first boot: an operator and one user of each other role, a label, a business with a
 * London venue and two zones, then each feature's registered demo step. Runs only when enabled
 * (ROOMTONE_DEMO_SEED, default true; `core` skips the features' steps) and the database has no users, so it never touches a database in use.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly venues: VenuesRepository,
    private readonly zones: ZonesRepository,
    private readonly hasher: PasswordHasher,
    private readonly registry: DemoSeedRegistry,
    @Inject(DEMO_PASSWORD_SOURCE) private readonly passwordSource: PasswordSource,
    private readonly announcements: DemoAnnouncements,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed) return;
    if ((await this.users.count()) > 0) return;
    const password = this.passwordSource();
    let context: DemoContext;
    try {
      context = await this.createCoreRows(password);
    } catch (error) {
      // Another hub starting on the same empty database seeded first; its unique e-mail won the race.
      if ((await this.users.count()) > 0) {
        this.logger.log({ msg: 'demo data already created by another hub' });
        return;
      }
      throw error;
    }
    for (const step of this.config.demoSeedFeatureSteps ? this.registry.all() : []) {
      this.logger.log({ msg: 'demo step', step: step.name });
      try {
        await step.run(context);
      } catch (error) {
        // A missing extra (say, demo tracks without ffmpeg) must not keep the hub from starting.
        this.logger.warn({ msg: 'demo step failed', step: step.name, error: (error as Error).message });
      }
    }
    this.logger.log({ msg: 'demo data created', venue: context.venue.id, zones: context.zones.map((z) => z.id) });
    this.announcements.add((url) => loginInstructions(url, password));
  }

  private async createCoreRows(password: string): Promise<DemoContext> {
    const passwordHash = await this.hasher.hash(password);
    // One transaction for the rows, so a crash leaves either nothing (and the next boot seeds) or everything.
    return this.dataSource.transaction(async (manager) => {
      const users = {} as Record<Role, User>;
      for (const role of Object.keys(DEMO_USERS) as Role[]) {
        users[role] = await this.users.create(
          {
            ...DEMO_USERS[role],
            passwordHash,
            isOperator: role === 'operator',
          },
          manager,
        );
      }
      const label = await this.organisations.create({ kind: 'label', name: DEMO_LABEL }, manager);
      const business = await this.organisations.create({ kind: 'business', name: DEMO_BUSINESS }, manager);
      await this.memberships.add(users.rights_owner.id, label.id, 'rights_owner', manager);
      await this.memberships.add(users.venue_manager.id, business.id, 'venue_manager', manager);
      await this.memberships.add(users.installer.id, business.id, 'installer', manager);
      const group = await this.venues.createGroup(business.id, DEMO_VENUE_GROUP, manager);
      const venue = await this.venues.create(
        {
          organisationId: business.id,
          venueGroupId: group.id,
          ...DEMO_VENUE,
          openingHours: DEMO_OPENING_HOURS,
        },
        manager,
      );
      const zones = [];
      for (const name of DEMO_ZONES) zones.push(await this.zones.create(venue.id, name, manager));
      return { users, label, business, venue, zones };
    });
  }
}
