import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { PasswordHasher } from '../../../../hub/src/auth/password/password-hasher';
import { Clock } from '../../../../hub/src/common/time/clock';
import {
  MembershipsRepository,
  OrganisationsRepository,
  UsersRepository,
  VenuesRepository,
  ZonesRepository,
  type MembershipRole,
} from '../../../../hub/src/tenancy';
import type { FreshDatabase } from '../../../support/databases';
import { startTestHub, type TestHub } from '../../../support/hub-app';

/** argon2id with tiny costs: the suites check behaviour, not hashing strength, and create many users. */
export const cheapHasher = new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

export const PASSWORD = 'correct horse battery staple';

/**
 * Boots the in-process hub on `db` with `clock` as its Clock and cheapHasher as its PasswordHasher (what nearly every
 * suite needs); `env` and `customise` add settings and further provider overrides.
 */
export function startClockedHub(
  db: FreshDatabase,
  clock: Clock,
  options: { env?: Record<string, string>; customise?: (b: TestingModuleBuilder) => TestingModuleBuilder } = {},
): Promise<TestHub> {
  const { env, customise = (b) => b } = options;
  return startTestHub(db, {
    env,
    customise: (b) =>
      customise(b.overrideProvider(Clock).useValue(clock).overrideProvider(PasswordHasher).useValue(cheapHasher)),
  });
}

/** One tenant's rows: a business with a venue group, a venue and a zone; a label; a user per role. */
export interface TenantFixture {
  name: string;
  businessId: string;
  labelId: string;
  venueGroupId: string;
  venueId: string;
  zoneId: string;
  users: Record<MembershipRole, { id: string; email: string }>;
}

/** Creates a user with PASSWORD. */
export async function createUser(
  app: INestApplication,
  email: string,
  isOperator = false,
): Promise<{ id: string; email: string }> {
  const user = await app.get(UsersRepository).create({
    email,
    displayName: email.split('@')[0],
    passwordHash: await cheapHasher.hash(PASSWORD),
    isOperator,
  });
  return { id: user.id, email: user.email };
}

/** Creates tenant `name`: rights owners belong to its label, venue managers and installers to its business. */
export async function createTenant(app: INestApplication, name: string): Promise<TenantFixture> {
  const organisations = app.get(OrganisationsRepository);
  const memberships = app.get(MembershipsRepository);
  const business = await organisations.create({ kind: 'business', name: `${name} Cafés` });
  const label = await organisations.create({ kind: 'label', name: `${name} Records` });
  const venues = app.get(VenuesRepository);
  const group = await venues.createGroup(business.id, `${name} North`);
  const venue = await venues.create({
    organisationId: business.id,
    venueGroupId: group.id,
    name: `${name} Main Street`,
    timeZone: 'Europe/Berlin',
  });
  const zone = await app.get(ZonesRepository).create(venue.id, `${name} Bar`);
  const users = {} as TenantFixture['users'];
  for (const role of ['rights_owner', 'venue_manager', 'installer'] as const) {
    const user = await createUser(app, `${role}@${name.toLowerCase()}.test`);
    await memberships.add(user.id, role === 'rights_owner' ? label.id : business.id, role);
    users[role] = user;
  }
  return {
    name,
    businessId: business.id,
    labelId: label.id,
    venueGroupId: group.id,
    venueId: venue.id,
    zoneId: zone.id,
    users,
  };
}

/** A signed-in browser: its cookie and CSRF token. */
export interface BrowserSession {
  cookie: string;
  csrfToken: string;
}

/** Signs in through POST /auth/login and returns the session cookie and CSRF token. */
export async function signIn(app: INestApplication, email: string, password = PASSWORD): Promise<BrowserSession> {
  const response = await request(app.getHttpServer()).post('/auth/login').send({ email, password }).expect(200);
  const setCookie = response.headers['set-cookie'] as unknown as string[];
  return { cookie: setCookie[0].split(';')[0], csrfToken: (response.body as { csrfToken: string }).csrfToken };
}
