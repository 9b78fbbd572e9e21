import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import type { Role } from '../../../hub/src/tenancy/roles';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { cheapHasher, createUser } from './support/fixtures';
import { createCaller, createMatrixTenant, type Caller, type MatrixTenant } from './support/matrix-fixtures';
import { bodyFor, resolvePath } from './support/matrix-requests';
import { expressRoutes, nestEndpoints, type Endpoint } from './support/routes';

// Served by the OpenAPI module outside Nest's controllers, deliberately public: the API description, no data.
const DOCS_ROUTE = /^GET \/api\/docs/;

const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);

interface Outcome {
  status: number;
  text: string;
  sent: string;
}

/**
 * Every role × every endpoint × own and someone else's rows. Endpoints come from Nest's router, so a new endpoint is
 * covered (or fails here) without anyone editing this file, except to name the fixture a new route parameter needs.
 */
describe.each(databaseKinds())('authorisation matrix on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let endpoints: Endpoint[];
  let foreign: MatrixTenant;
  let foreignTokenId: string;
  const own = {} as Record<Role, MatrixTenant>;
  const callers = {} as Record<Role, Caller>;
  /** Endpoints whose route parameters have no fixture: reported by their own test, skipped by the others. */
  const unresolved = new Map<string, string>();
  const walkable = () => endpoints.filter((e) => !unresolved.has(`${e.method} ${e.path}`));

  async function call(
    endpoint: Endpoint,
    tenant: MatrixTenant,
    caller: Caller | null,
    tokenId: string,
  ): Promise<Outcome> {
    const path = resolvePath(endpoint, tenant, caller ?? callers.venue_manager, tokenId);
    const body = BODY_METHODS.has(endpoint.method) ? bodyFor(endpoint, tenant) : undefined;
    let req = request(hub.app.getHttpServer())[endpoint.method.toLowerCase() as 'get'](path);
    if (caller !== null) req = req.set('Authorization', `Bearer ${caller.token}`);
    const response = body === undefined ? await req : await req.send(body);
    return { status: response.status, text: response.text ?? '', sent: `${path} ${JSON.stringify(body ?? {})}` };
  }

  function leaks(outcome: Outcome, tenant: MatrixTenant): string[] {
    return tenant.secrets.filter((s) => !outcome.sent.includes(s) && outcome.text.includes(s));
  }

  async function snapshot(tenant: MatrixTenant): Promise<string> {
    const ds = hub.app.get(DataSource);
    const rows = await Promise.all(
      [
        ['organisations', 'id', [tenant.businessId, tenant.labelId]],
        ['venues', 'id', [tenant.venueId]],
        ['zones', 'id', [tenant.zoneId]],
        ['venue_groups', 'id', [tenant.venueGroupId]],
        ['memberships', 'organisation_id', [tenant.businessId, tenant.labelId]],
        ['installer_venue_grants', 'venue_id', [tenant.venueId]],
        ['tracks', 'id', [tenant.trackId]],
        ['users', 'id', [tenant.spareUserId, ...Object.values(tenant.users).map((u) => u.id)]],
      ].map(async ([table, column, ids]) => {
        const list = (ids as string[]).map((id) => `'${id}'`).join(', ');
        const found: unknown[] = await ds.query(
          `SELECT * FROM ${table as string} WHERE ${column as string} IN (${list}) ORDER BY id`,
        );
        return found;
      }),
    );
    return JSON.stringify(rows);
  }

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, { customise: (b) => b.overrideProvider(PasswordHasher).useValue(cheapHasher) });
    endpoints = nestEndpoints(hub.app);
    foreign = await createMatrixTenant(hub.app, 'Bravo', db.dataDir, false);
    own.rights_owner = await createMatrixTenant(hub.app, 'Alpha', db.dataDir, true);
    own.venue_manager = await createMatrixTenant(hub.app, 'Charlie', db.dataDir, true);
    own.installer = await createMatrixTenant(hub.app, 'Delta', db.dataDir, true);
    own.operator = await createMatrixTenant(hub.app, 'Echo', db.dataDir, true);
    for (const role of ['rights_owner', 'venue_manager', 'installer'] as const) {
      callers[role] = await createCaller(hub.app, role, own[role].users[role].email);
    }
    await createUser(hub.app, 'operator@hub.test', true);
    callers.operator = await createCaller(hub.app, 'operator', 'operator@hub.test');
    foreignTokenId = (await createCaller(hub.app, 'venue_manager', foreign.users.venue_manager.email))
      .disposableTokenId;
    for (const endpoint of endpoints) {
      try {
        resolvePath(endpoint, foreign, callers.venue_manager, foreignTokenId);
      } catch (error) {
        unresolved.set(`${endpoint.method} ${endpoint.path}`, (error as Error).message);
      }
    }
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('every endpoint declares an @Access rule', () => {
    const undeclared = endpoints
      .filter((e) => e.rule === undefined)
      .map((e) => `${e.method} ${e.path} (${e.controller}.${e.handler})`);
    expect(undeclared).toEqual([]);
    expect(endpoints.length).toBeGreaterThanOrEqual(40);
  });

  it('every route parameter names a fixture row, so every endpoint is walked', () => {
    expect([...unresolved.values()]).toEqual([]);
  });

  it('the scan saw every route Express serves (nothing is served that the matrix does not walk)', () => {
    const scanned = new Set(endpoints.map((e) => `${e.method} ${e.path}`));
    const unscanned = expressRoutes(hub.app).filter((r) => !scanned.has(r) && !DOCS_ROUTE.test(r));
    expect(unscanned).toEqual([]);
  });

  it('anonymous callers get 401 UNAUTHENTICATED from every non-public endpoint', async () => {
    const wrong: string[] = [];
    for (const endpoint of walkable()) {
      const outcome = await call(endpoint, own.venue_manager, null, callers.venue_manager.disposableTokenId);
      // Public routes may still refuse anonymous callers by other means (appliances sign their requests).
      if (endpoint.rule?.scope === 'public') continue;
      if (outcome.status !== 401 || !outcome.text.includes('UNAUTHENTICATED')) {
        wrong.push(`${endpoint.method} ${endpoint.path} -> ${outcome.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(['rights_owner', 'venue_manager', 'installer'] as const)(
    "%s × every endpoint × someone else's organisation, venue group, venue, zone, track, user and token: 403 or 404, nothing leaks, nothing changes",
    async (role) => {
      const caller = callers[role];
      const before = await snapshot(foreign);
      const wrong: string[] = [];
      for (const endpoint of walkable()) {
        const rule = endpoint.rule;
        if (rule === undefined || rule.scope === 'public') continue;
        const outcome = await call(endpoint, foreign, caller, foreignTokenId);
        const line = `${endpoint.method} ${endpoint.path} -> ${outcome.status}`;
        const leaked = leaks(outcome, foreign);
        if (leaked.length > 0) wrong.push(`${line} leaks ${leaked.join(', ')}`);
        const namesForeignRow = foreign.secrets.some((s) => outcome.sent.includes(s));
        const roleAllowed = rule.roles === undefined || rule.roles.includes(role);
        if (!roleAllowed && outcome.status !== 403) wrong.push(`${line}, expected 403 for role ${role}`);
        if (roleAllowed && namesForeignRow && outcome.status !== 404) wrong.push(`${line}, expected 404`);
        if (outcome.status >= 500) wrong.push(`${line}: server error ${outcome.text}`);
      }
      expect(wrong).toEqual([]);
      expect(await snapshot(foreign)).toBe(before);
    },
  );

  it.each(['rights_owner', 'venue_manager', 'installer', 'operator'] as const)(
    '%s × every endpoint × own rows: allowed where the rule lists the role, 403 elsewhere',
    async (role) => {
      const caller = callers[role];
      const tenant = own[role];
      // Deletions last, deepest paths first (a venue grant before its venue), so earlier calls still find their rows.
      const depth = (e: Endpoint) => e.path.split('/').length;
      const ordered = [
        ...walkable().filter((e) => e.method !== 'DELETE'),
        ...walkable()
          .filter((e) => e.method === 'DELETE')
          .sort((a, b) => depth(b) - depth(a) || b.path.localeCompare(a.path)),
      ];
      const wrong: string[] = [];
      for (const endpoint of ordered) {
        const rule = endpoint.rule;
        if (rule === undefined || rule.scope === 'public') continue;
        const outcome = await call(endpoint, tenant, caller, caller.disposableTokenId);
        const line = `${endpoint.method} ${endpoint.path} -> ${outcome.status}`;
        const roleAllowed = rule.roles === undefined || rule.roles.includes(role);
        if (roleAllowed && [401, 403, 404].includes(outcome.status)) wrong.push(`${line} ${outcome.text}`);
        if (!roleAllowed && outcome.status !== 403) wrong.push(`${line}, expected 403`);
        if (outcome.status >= 500) wrong.push(`${line}: server error ${outcome.text}`);
        // Other own tenants' ready tracks are shared catalogue; the foreign tenant has nothing any of them may see.
        const leaked = role === 'operator' ? [] : leaks(outcome, foreign);
        if (leaked.length > 0) wrong.push(`${line} leaks ${foreign.name}'s ${leaked.join(', ')}`);
      }
      expect(wrong).toEqual([]);
    },
  );
});
