import { loadSodium, type Sodium } from '@roomtone/provisioning';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import type { TenantFixture } from '../authz/support/fixtures';
import { deviceClock, signedCall, userHeaders, enrolInZone, startHubsOnOneDatabase } from '../appliances/support';
import { chain, freshConnectionQuery, insertTrack } from './support';

// Two hubs on one database (stateless hubs behind a load balancer; on SQLite, two processes' connections to one
// file): the same batch sent to both at once is stored and counted once.
describe.each(databaseKinds())('play intake with two hubs on one %s database', (kind) => {
  let db: FreshDatabase;
  let hubs: TestHub[];
  let bases: string[];
  let clock: FixedClock;
  let sodium: Sodium;
  let tenant: TenantFixture;

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    clock = new FixedClock('2026-11-24T12:00:00.000Z');
    ({ hubs, bases, tenant } = await startHubsOnOneDatabase(db, clock, 2));
  });

  afterAll(async () => {
    for (const hub of hubs ?? []) await hub.close();
    await db?.drop();
  });

  it('the same 400 plays posted to both hubs at the same moment, twice over, are stored once; gaps and storedThrough agree', async () => {
    const operator = await userHeaders(hubs[0], 'op@hub.test');
    const device = await enrolInZone(bases[0], sodium, clock, operator, tenant.venueId, tenant.zoneId);
    const trackId = await insertTrack(hubs[0].app, tenant.labelId, { title: 'Shared', durationMs: 200_000 });
    const plays = chain({ tag: 5, from: 1, to: 400, trackId, startAt: '2026-11-22T00:00:00.000Z' });
    const post = (hub: number) =>
      signedCall(sodium, deviceClock(clock), device, 'POST', `${bases[hub]}/appliance/v1/plays`, {
        plays: plays.slice(0, 400).filter((p) => p.sequence !== 200),
      });
    const answers = await Promise.all([post(0), post(1), post(0), post(1)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const bodies = answers.map((a) => a.body as { accepted: number; duplicates: number; storedThrough: number });
    expect(bodies.reduce((s, b) => s + b.accepted, 0)).toBe(399);
    expect(bodies.reduce((s, b) => s + b.duplicates, 0)).toBe(399 * 3);
    expect(answers.every((a) => JSON.stringify(a.body.gaps) === JSON.stringify([{ from: 200, to: 200 }]))).toBe(true);
    expect(bodies.every((b) => b.storedThrough === 199)).toBe(true);
    const [count] = await freshConnectionQuery<{ n: number | string }>(db, 'SELECT COUNT(*) AS n FROM plays', []);
    expect(Number(count.n)).toBe(399);
    const batches = await freshConnectionQuery<{ accepted: number | string }>(
      db,
      'SELECT accepted FROM play_batches',
      [],
    );
    expect(batches.map((b) => Number(b.accepted)).reduce((s, n) => s + n, 0)).toBe(399);
    // The late play closes the gap, whichever hub receives it.
    const late = await signedCall(sodium, deviceClock(clock), device, 'POST', `${bases[1]}/appliance/v1/plays`, {
      plays: [plays[199]],
    });
    expect(late.body).toMatchObject({ accepted: 1, gaps: [], storedThrough: 400 });
  });
});
