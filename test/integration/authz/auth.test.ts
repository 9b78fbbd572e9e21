import request from 'supertest';
import { DataSource } from 'typeorm';
import { LockoutStore } from '../../../hub/src/auth/lockout/lockout.store';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { Clock, FixedClock } from '../../../hub/src/common/time/clock';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { cheapHasher, createTenant, createUser, PASSWORD, signIn, type TenantFixture } from './support/fixtures';

const START = '2026-11-24T02:00:00.000Z';

describe.each(databaseKinds())('sign-in, sessions, CSRF, lockout and API tokens on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let clock: FixedClock;
  let tenant: TenantFixture;
  const http = () => request(hub.app.getHttpServer());

  beforeAll(async () => {
    db = await freshDatabase(kind);
    clock = new FixedClock(START);
    hub = await startTestHub(db, {
      customise: (b) =>
        b.overrideProvider(Clock).useValue(clock).overrideProvider(PasswordHasher).useValue(cheapHasher),
    });
    tenant = await createTenant(hub.app, 'Alpha');
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('sets an HttpOnly SameSite=Lax session cookie (not Secure over http) and returns a CSRF token', async () => {
    const response = await http()
      .post('/auth/login')
      .send({ email: 'VENUE_MANAGER@alpha.test', password: PASSWORD })
      .expect(200);
    const cookie = (response.headers['set-cookie'] as unknown as string[])[0];
    expect(cookie).toMatch(/^roomtone_session=rts_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
    expect(response.body).toEqual({
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: '2026-12-01T02:00:00.000Z',
      user: { id: tenant.users.venue_manager.id, email: 'venue_manager@alpha.test', displayName: 'venue_manager' },
    });
    expect(JSON.stringify(response.body)).not.toContain('rts_');
  });

  it('GET /auth/me answers 401 without credentials and describes the caller with them', async () => {
    const anonymous = await http().get('/auth/me').expect(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    const session = await signIn(hub.app, 'installer@alpha.test');
    const me = await http().get('/auth/me').set('Cookie', session.cookie).expect(200);
    expect(me.body).toEqual({
      id: tenant.users.installer.id,
      email: 'installer@alpha.test',
      displayName: 'installer',
      isOperator: false,
      memberships: [
        { organisationId: tenant.businessId, organisationName: 'Alpha Cafés', kind: 'business', role: 'installer' },
      ],
      installerVenueIds: [],
      authenticatedWith: 'session',
    });
    const csrf = await http().get('/auth/csrf').set('Cookie', session.cookie).expect(200);
    expect(csrf.body).toEqual({ csrfToken: session.csrfToken });
  });

  it('refuses cookie-authenticated unsafe requests without the right X-CSRF-Token, and accepts them with it', async () => {
    const session = await signIn(hub.app, 'venue_manager@alpha.test');
    const missing = await http().post('/auth/tokens').set('Cookie', session.cookie).send({ name: 'x' }).expect(403);
    expect(missing.body).toMatchObject({ code: 'CSRF_INVALID' });
    const other = await signIn(hub.app, 'installer@alpha.test');
    await http()
      .post('/auth/tokens')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', other.csrfToken)
      .send({ name: 'x' })
      .expect(403);
    await http()
      .post('/auth/tokens')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .send({ name: 'x' })
      .expect(201);
  });

  it('logout revokes the session server-side: the old cookie no longer works', async () => {
    const session = await signIn(hub.app, 'rights_owner@alpha.test');
    const out = await http()
      .post('/auth/logout')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .expect(204);
    expect((out.headers['set-cookie'] as unknown as string[])[0]).toBe(
      'roomtone_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    await http().get('/auth/me').set('Cookie', session.cookie).expect(401);
  });

  it('expires a session after 24 idle hours, and a forged cookie is nobody', async () => {
    const session = await signIn(hub.app, 'rights_owner@alpha.test');
    clock.advance(24 * 3600_000);
    await http().get('/auth/me').set('Cookie', session.cookie).expect(401);
    await http()
      .get('/auth/me')
      .set('Cookie', `roomtone_session=rts_${'A'.repeat(43)}`)
      .expect(401);
  });

  it('API tokens: shown once, stored hashed, listable, usable as Bearer without CSRF, revocable', async () => {
    const session = await signIn(hub.app, 'venue_manager@alpha.test');
    const created = await http()
      .post('/auth/tokens')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .send({ name: 'nightly import', expiresInDays: 30 })
      .expect(201);
    const body = created.body as { id: string; token: string; hint: string; expiresAt: string };
    expect(body.token).toMatch(/^rtp_[A-Za-z0-9_-]{43}$/);
    expect(body.hint).toBe(body.token.slice(0, 10));
    const placeholder = kind === 'sqlite' ? '?' : '$1';
    const stored: { token_hash: string }[] = await hub.app
      .get(DataSource)
      .query(`SELECT token_hash FROM api_tokens WHERE id = ${placeholder}`, [body.id]);
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(body.token);

    const list = await http().get('/auth/tokens').set('Authorization', `Bearer ${body.token}`).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id: body.id,
        name: 'nightly import',
        hint: body.hint,
        lastUsedAt: clock.now().toISOString(),
      }),
      expect.objectContaining({ name: 'x' }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(body.token);
    // Bearer callers need no CSRF token.
    await http().post('/auth/tokens').set('Authorization', `Bearer ${body.token}`).send({ name: 'second' }).expect(201);
    await http().delete(`/auth/tokens/${body.id}`).set('Authorization', `Bearer ${body.token}`).expect(204);
    await http().get('/auth/me').set('Authorization', `Bearer ${body.token}`).expect(401);
  });

  it("cannot revoke someone else's token: 404, and the token keeps working", async () => {
    const owner = await signIn(hub.app, 'installer@alpha.test');
    const created = await http()
      .post('/auth/tokens')
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrfToken)
      .send({ name: 'mine' })
      .expect(201);
    const { id, token } = created.body as { id: string; token: string };
    const intruder = await signIn(hub.app, 'rights_owner@alpha.test');
    await http()
      .delete(`/auth/tokens/${id}`)
      .set('Cookie', intruder.cookie)
      .set('X-CSRF-Token', intruder.csrfToken)
      .expect(404);
    await http().get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('an expired API token is refused', async () => {
    const session = await signIn(hub.app, 'installer@alpha.test');
    const created = await http()
      .post('/auth/tokens')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .send({ name: 'short', expiresInDays: 1 })
      .expect(201);
    clock.advance(24 * 3600_000);
    await http()
      .get('/auth/me')
      .set('Authorization', `Bearer ${(created.body as { token: string }).token}`)
      .expect(401);
  });

  it('locks an account after 5 consecutive failures, says until when, and unlocks after 15 minutes', async () => {
    const victim = await createUser(hub.app, 'lockme@alpha.test');
    const wrong = { email: victim.email, password: 'wrong password!' };
    for (let i = 1; i <= 4; i++) {
      const r = await http().post('/auth/login').send(wrong).expect(401);
      expect(r.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'wrong e-mail address or password' });
    }
    const lockedAt = clock.now().getTime();
    const fifth = await http().post('/auth/login').send(wrong).expect(429);
    const until = new Date(lockedAt + 15 * 60_000).toISOString();
    expect(fifth.body).toMatchObject({
      code: 'ACCOUNT_LOCKED',
      message: `this account is locked after 5 failed sign-ins; try again after ${until} or ask an operator`,
      details: { retryAt: until, retryAfterSeconds: 900 },
    });
    expect(fifth.headers['retry-after']).toBe('900');
    // The right password does not help while locked.
    await http().post('/auth/login').send({ email: victim.email, password: PASSWORD }).expect(429);
    clock.advance(15 * 60_000);
    await http().post('/auth/login').send({ email: victim.email, password: PASSWORD }).expect(200);
  });

  it('counts every one of 20 concurrent failures (atomic increment, no lost update) and applies the capped lock', async () => {
    const user = await createUser(hub.app, 'race@alpha.test');
    const store = hub.app.get(LockoutStore);
    const now = clock.now();
    await Promise.all(Array.from({ length: 20 }, () => store.fail(user.id, now)));
    expect(await store.get(user.id)).toEqual({
      failedLoginCount: 20,
      lockedUntil: new Date(now.getTime() + 24 * 3600_000),
    });
  });

  it('an unknown account gets the same answer as a wrong password', async () => {
    const r = await http()
      .post('/auth/login')
      .send({ email: 'nobody@alpha.test', password: 'whatever it is' })
      .expect(401);
    expect(r.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'wrong e-mail address or password' });
  });

  it('rate-limits one account to 10 attempts per 5 minutes, before checking the password', async () => {
    clock.advance(60 * 60_000);
    for (let i = 0; i < 10; i++) {
      await http().post('/auth/login').send({ email: 'sprayed@alpha.test', password: 'guess number x' }).expect(401);
    }
    const limited = await http().post('/auth/login').send({ email: 'sprayed@alpha.test', password: 'x' }).expect(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.message).toBe(
      `too many sign-in attempts for this account; try again after ${new Date(clock.now().getTime() + 5 * 60_000).toISOString()}`,
    );
  });

  it('rate-limits one address to 30 attempts per 5 minutes across accounts', async () => {
    clock.advance(60 * 60_000);
    for (let i = 0; i < 30; i++) {
      await http()
        .post('/auth/login')
        .send({ email: `spray${i}@alpha.test`, password: 'guess guess' })
        .expect(401);
    }
    const limited = await http().post('/auth/login').send({ email: 'venue_manager@alpha.test', password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.message).toMatch(/^too many sign-in attempts from your address; try again after /);
    clock.advance(5 * 60_000);
    await http().post('/auth/login').send({ email: 'venue_manager@alpha.test', password: PASSWORD }).expect(200);
  });
});

describe('session cookie behind https', () => {
  it('is marked Secure when the hub is served over https (ROOMTONE_PUBLIC_URL)', async () => {
    const db = await freshDatabase('sqlite');
    const hub = await startTestHub(db, {
      env: { ROOMTONE_PUBLIC_URL: 'https://hub.example.test' },
      customise: (b) => b.overrideProvider(PasswordHasher).useValue(cheapHasher),
    });
    try {
      await createUser(hub.app, 'secure@example.test');
      const response = await request(hub.app.getHttpServer())
        .post('/auth/login')
        .send({ email: 'secure@example.test', password: PASSWORD })
        .expect(200);
      const cookie = (response.headers['set-cookie'] as unknown as string[])[0];
      expect(cookie).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=604800; Secure$/);
    } finally {
      await hub.close();
      await db.drop();
    }
  });
});
