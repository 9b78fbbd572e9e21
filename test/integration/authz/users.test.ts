import request from 'supertest';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { cheapHasher, createTenant, createUser, PASSWORD, signIn, type TenantFixture } from './support/fixtures';
import { createCaller, type Caller } from './support/matrix-fixtures';

describe.each(databaseKinds())('users, organisations and memberships on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let tenant: TenantFixture;
  let operator: Caller;
  const http = () => request(hub.app.getHttpServer());
  const op = {
    get: (path: string) => http().get(path).set('Authorization', `Bearer ${operator.token}`),
    post: (path: string, body: object) => http().post(path).set('Authorization', `Bearer ${operator.token}`).send(body),
    patch: (path: string, body: object) =>
      http().patch(path).set('Authorization', `Bearer ${operator.token}`).send(body),
  };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, { customise: (b) => b.overrideProvider(PasswordHasher).useValue(cheapHasher) });
    tenant = await createTenant(hub.app, 'Gamma');
    await createUser(hub.app, 'root@hub.test', true);
    operator = await createCaller(hub.app, 'operator', 'root@hub.test');
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('operators create users; the response never carries the password or its hash; e-mails are unique', async () => {
    const created = await op
      .post('/users', { email: 'New.Person@Gamma.test', displayName: 'New Person', password: 'twelve chars ok' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      email: 'new.person@gamma.test',
      displayName: 'New Person',
      isOperator: false,
      disabled: false,
      lockedUntil: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const dup = await op
      .post('/users', { email: 'new.person@gamma.test', displayName: 'Again', password: 'twelve chars ok' })
      .expect(409);
    expect(dup.body.message).toBe('a user with e-mail new.person@gamma.test already exists');
    const short = await op.post('/users', { email: 'x@gamma.test', displayName: 'X', password: 'short' }).expect(400);
    expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('password') });
    const stored = await http()
      .post('/auth/login')
      .send({ email: 'new.person@gamma.test', password: 'twelve chars ok' })
      .expect(200);
    expect(JSON.stringify(stored.body)).not.toContain('argon2');
  });

  it('memberships must fit the organisation kind, and are listed to the organisation’s members', async () => {
    const user = await createUser(hub.app, 'member@gamma.test');
    const wrong = await op
      .post(`/organisations/${tenant.businessId}/memberships`, { userId: user.id, role: 'rights_owner' })
      .expect(422);
    expect(wrong.body.message).toBe('a business has no rights_owners; rights_owner belongs in a label');
    await op
      .post(`/organisations/${tenant.businessId}/memberships`, { userId: user.id, role: 'venue_manager' })
      .expect(201);
    const member = await signIn(hub.app, 'member@gamma.test');
    const list = await http()
      .get(`/organisations/${tenant.businessId}/memberships`)
      .set('Cookie', member.cookie)
      .expect(200);
    expect((list.body as { user: { email: string }; role: string }[]).map((m) => `${m.user.email} ${m.role}`)).toEqual([
      'venue_manager@gamma.test venue_manager',
      'installer@gamma.test installer',
      'member@gamma.test venue_manager',
    ]);
    const mine = await http().get('/organisations').set('Cookie', member.cookie).expect(200);
    expect((mine.body as { id: string }[]).map((o) => o.id)).toEqual([tenant.businessId]);
  });

  it('disabling a user ends their sessions and refuses their sign-in; operators cannot disable themselves', async () => {
    const victim = await createUser(hub.app, 'leaver@gamma.test');
    const session = await signIn(hub.app, 'leaver@gamma.test');
    await op.patch(`/users/${victim.id}`, { disabled: true }).expect(200);
    await http().get('/auth/me').set('Cookie', session.cookie).expect(401);
    const refused = await http()
      .post('/auth/login')
      .send({ email: 'leaver@gamma.test', password: PASSWORD })
      .expect(401);
    expect(refused.body.code).toBe('INVALID_CREDENTIALS');
    const self = await op.patch(`/users/${operator.userId}`, { disabled: true }).expect(422);
    expect(self.body.message).toBe('you cannot disable yourself or drop your own operator role; ask another operator');
  });

  it('changing one’s password needs the current one and ends every session', async () => {
    const session = await signIn(hub.app, tenant.users.installer.email);
    const wrong = await http()
      .post('/users/me/password')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .send({ currentPassword: 'not my password', newPassword: 'a brand new passphrase' })
      .expect(401);
    expect(wrong.body.message).toBe('currentPassword is wrong; your password was not changed');
    await http()
      .post('/users/me/password')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })
      .expect(204);
    await http().get('/auth/me').set('Cookie', session.cookie).expect(401);
    await http().post('/auth/login').send({ email: tenant.users.installer.email, password: PASSWORD }).expect(401);
    await signIn(hub.app, tenant.users.installer.email, 'a brand new passphrase');
    const audit = await op.get('/audit?action=user.password_change').expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ entityId: tenant.users.installer.id, before: null, after: null }),
    ]);
  });

  it('an operator sees a lockout and lifts it, and the lift is audited', async () => {
    const locked = await createUser(hub.app, 'forgetful@gamma.test');
    for (let i = 0; i < 5; i++) {
      await http().post('/auth/login').send({ email: locked.email, password: 'not the password' });
    }
    await http().post('/auth/login').send({ email: locked.email, password: PASSWORD }).expect(429);
    const shown = await op.get(`/users/${locked.id}`).expect(200);
    expect(shown.body.lockedUntil).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    const unlocked = await op.post(`/users/${locked.id}/unlock`, {}).expect(200);
    expect(unlocked.body.lockedUntil).toBeNull();
    await http().post('/auth/login').send({ email: locked.email, password: PASSWORD }).expect(200);
    const audit = await op.get(`/audit?action=user.unlock&entityId=${locked.id}`).expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actor: { userId: operator.userId, email: 'root@hub.test' },
        before: { failedLoginCount: 5, lockedUntil: shown.body.lockedUntil },
        after: { failedLoginCount: 0, lockedUntil: null },
      }),
    ]);
  });

  it('users see themselves, not the user list', async () => {
    const session = await signIn(hub.app, tenant.users.venue_manager.email);
    await http().get('/users').set('Cookie', session.cookie).expect(403);
    await http().get(`/users/${tenant.users.venue_manager.id}`).set('Cookie', session.cookie).expect(403);
    const renamed = await http()
      .patch('/users/me')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .send({ displayName: 'Val the Manager' })
      .expect(200);
    expect(renamed.body).toMatchObject({ id: tenant.users.venue_manager.id, displayName: 'Val the Manager' });
  });
});
