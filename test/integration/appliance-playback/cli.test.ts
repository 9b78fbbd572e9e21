import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CliIo,
  HubSigningKey,
  createKeystore,
  enrolledKeystore,
  loadSodium,
  runCli,
  saveKeystore,
  signDocument,
  type Sodium,
} from '@roomtone/provisioning';
import { applianceCommands } from '../../../appliance/src/cli/commands';
import type { StatusDoc } from '../../../appliance/src/daemon';
import { PulseHarness, requirePulseTools } from '../../support/pulse';

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(...l.split('\n')), stderr: (l) => err.push(l) };
}

async function cli(...argv: string[]) {
  const io = capture();
  const code = await runCli('roomtone-appliance', applianceCommands, argv, io);
  return { code, out: io.out, err: io.err, text: io.out.join('\n') };
}

function statusDoc(over: Partial<StatusDoc> = {}): StatusDoc {
  const now = new Date().toISOString();
  return {
    version: 1,
    writtenAt: now,
    pid: process.pid,
    running: true,
    startedAt: now,
    state: 'playing',
    reason: null,
    since: '2026-11-24T05:00:00.000Z',
    plan: { id: 'plan-7', until: '2026-12-08T00:00:00.000Z' },
    offlineSafeUntil: '2026-12-01T05:00:00.000Z',
    clock: { trusted: true, basis: 'wall', wallSkewMs: 1200, note: null },
    cache: { tracks: 42, bytes: 420 * 1024 * 1024, budgetBytes: 2048 * 1024 * 1024, missing: 3 },
    nowPlaying: {
      trackId: 'trk-1',
      title: 'Blue in Green',
      artist: 'Miles Davis',
      programmeId: 'late-jazz',
      blockId: 'evening',
      startedAt: '2026-11-24T05:10:00.000Z',
      quality: 'full',
      source: 'scheduled',
      sequence: 311,
    },
    errors: [{ at: '2026-11-24T04:00:00.000Z', message: 'hub unreachable: ECONNREFUSED' }],
    playLog: { pending: 5, lastSequence: 311 },
    audio: { socket: '/run/pulse/native', sink: 'venue', connected: true },
    hub: { online: true, lastHubTime: '2026-11-24T05:09:00.000Z' },
    ...over,
  };
}

describe('roomtone-appliance status', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roomtone-status-'));
    writeFileSync(
      join(dir, 'keystore.json'),
      JSON.stringify({ applianceId: 'app-123', hubUrl: 'http://hub.example:3000', keys: { secret: 'never printed' } }),
      { mode: 0o600 },
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints enrolment, state, plan horizon, offline-safe-until, cache, now playing, play log and last errors', async () => {
    writeFileSync(join(dir, 'status.json'), JSON.stringify(statusDoc()));
    const { code, text } = await cli('status', '--data-dir', dir);
    expect(code).toBe(0);
    expect(text).toMatch(/^daemon: +running \(pid \d+, status \d+ s old\)$/m);
    expect(text).toMatch(/^enrolment: +appliance app-123 of http:\/\/hub.example:3000/m);
    expect(text).toMatch(/^state: +playing since 2026-11-24T05:00:00.000Z$/m);
    expect(text).toMatch(/^plan: +plan-7, horizon until 2026-12-08T00:00:00.000Z$/m);
    expect(text).toMatch(/^offline-safe until: 2026-12-01T05:00:00.000Z$/m);
    expect(text).toMatch(/^cache: +42 tracks, 420.0 MB of 2048.0 MB budget, 3 missing$/m);
    expect(text).toMatch(
      /^now playing: +Blue in Green by Miles Davis \(track trk-1, programme late-jazz, block evening/m,
    );
    expect(text).toMatch(/^play log: +5 pending upload, last sequence 311$/m);
    expect(text).toMatch(/^ {2}2026-11-24T04:00:00.000Z hub unreachable: ECONNREFUSED$/m);
    expect(text).not.toContain('never printed');
  });

  it('--json prints one object with daemon, keystore (no secrets) and the status document', async () => {
    writeFileSync(
      join(dir, 'status.json'),
      JSON.stringify(statusDoc({ state: 'lease-expired', reason: 'offline lease ended', nowPlaying: null })),
    );
    const { code, text } = await cli('status', '--json', '--data-dir', dir);
    expect(code).toBe(0);
    const report = JSON.parse(text) as {
      daemon: { running: boolean };
      keystore: Record<string, unknown>;
      status: StatusDoc;
    };
    expect(report.daemon.running).toBe(true);
    expect(report.keystore).toEqual({
      path: join(dir, 'keystore.json'),
      exists: true,
      enrolled: true,
      applianceId: 'app-123',
      hubUrl: 'http://hub.example:3000',
    });
    expect(report.status).toMatchObject({ state: 'lease-expired', reason: 'offline lease ended', nowPlaying: null });
  });

  it('says the daemon is not running: no status.json, a stale one, or a stopped daemon (exit 0)', async () => {
    const none = await cli('status', '--data-dir', dir);
    expect(none.code).toBe(0);
    expect(none.text).toMatch(
      /^daemon: +NOT RUNNING: no status.json in .*: the daemon has not run with this data dir/m,
    );

    writeFileSync(
      join(dir, 'status.json'),
      JSON.stringify(statusDoc({ writtenAt: new Date(Date.now() - 60_000).toISOString() })),
    );
    const stale = await cli('status', '--data-dir', dir);
    expect(stale.text).toMatch(/^daemon: +NOT RUNNING: status.json is 60 s old/m);
    expect(stale.text).toMatch(/^state: +last known: playing/m);

    writeFileSync(join(dir, 'status.json'), JSON.stringify(statusDoc({ running: false })));
    const stopped = await cli('status', '--data-dir', dir);
    expect(stopped.text).toMatch(/^daemon: +NOT RUNNING: the daemon stopped at/m);
  });

  it('bad flags: exit 2 with one line on stderr', async () => {
    const unknown = await cli('status', '--colour');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toHaveLength(1);
    expect(unknown.err[0]).toMatch(/^roomtone-appliance status: .*--colour/);
    const empty = await cli('run', '--sink', 'bad sink!');
    expect(empty.code).toBe(2);
    expect(empty.err).toEqual([
      "roomtone-appliance run: --sink must be a PulseAudio sink name (letters, digits, _ . : @ -); got 'bad sink!'",
    ]);
    const doctor = await cli('doctor', 'extra');
    expect(doctor.code).toBe(2);
    expect(doctor.err).toEqual(["roomtone-appliance doctor: unexpected argument 'extra'"]);
  });
});

describe('roomtone-appliance doctor', () => {
  let dir: string;
  let pulse: PulseHarness;
  let sodium: Sodium;
  let hubKey: HubSigningKey;
  let server: Server;
  let hubUrl: string;
  /** What the fake hub says the time is, relative to now. */
  let hubSkewMs = 0;

  beforeAll(async () => {
    requirePulseTools();
    sodium = await loadSodium();
    const pair = sodium.signSeedKeypair(new Uint8Array(32).fill(7));
    hubKey = new HubSigningKey(sodium, pair.publicKey, pair.secretKey);
    // A hub answering whoami with its signed time (the real hub's signature checks are tested in appliances/).
    server = createServer((req, res) => {
      if (req.url !== '/appliance/v1/whoami' || !req.headers.signature) {
        res.writeHead(404).end();
        return;
      }
      const time = new Date(Date.now() + hubSkewMs).toISOString();
      const body = {
        applianceId: 'app-1',
        venueId: 'venue-1',
        zoneId: 'zone-1',
        time: signDocument(hubKey, { type: 'roomtone.hub-time', applianceId: 'app-1', time }),
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pulse = new PulseHarness();
    await pulse.start();
  });

  afterAll(async () => {
    await pulse?.dispose();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  beforeEach(async () => {
    hubSkewMs = 0;
    dir = mkdtempSync(join(tmpdir(), 'roomtone-doctor-'));
    const keystore = enrolledKeystore(createKeystore(sodium, new Date()), {
      applianceId: 'app-1',
      hubUrl,
      hubPublicKey: hubKey.publicKey,
    });
    await saveKeystore(join(dir, 'keystore.json'), keystore);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const args = () => ['doctor', '--data-dir', dir, '--server', pulse.socketPath, '--sink', pulse.venueSink];

  it('all checks pass: one PASS line each, exit 0', async () => {
    const { code, out } = await cli(...args());
    expect(out.map((l) => l.split(':')[0])).toEqual([
      'PASS keystore permissions',
      'PASS hub reachable',
      'PASS clock',
      'PASS disk space',
      'PASS audio output',
    ]);
    expect(out[1]).toContain('knows appliance app-1 (zone zone-1)');
    expect(out[2]).toMatch(/-?\d+ s off the hub's signed time$/);
    expect(code).toBe(0);
  });

  it('FAIL lines say what to do, and any FAIL exits 1: readable keystore, clock off the hub, no PulseAudio', async () => {
    chmodSync(join(dir, 'keystore.json'), 0o644);
    hubSkewMs = 2 * 3_600_000;
    const { code, out } = await cli('doctor', '--data-dir', dir, '--server', join(dir, 'no-such-socket'));
    expect(code).toBe(1);
    expect(out[0]).toBe(
      `FAIL keystore permissions: ${join(dir, 'keystore.json')} is mode 0644: run 'chmod 600 ${join(dir, 'keystore.json')}'`,
    );
    // Without a loadable keystore there is no signed request to make.
    expect(out[1]).toMatch(/^FAIL hub reachable: the appliance is not enrolled/);
    expect(out.find((l) => l.startsWith('FAIL audio output'))).toMatch(
      /no-such-socket.*start PulseAudio or fix --sink/,
    );

    chmodSync(join(dir, 'keystore.json'), 0o600);
    const skewed = await cli(...args());
    expect(skewed.code).toBe(1);
    expect(skewed.out.find((l) => l.includes(' clock: '))).toMatch(
      /^FAIL clock: wall clock .* is -7200 s off the hub's signed time: enable NTP/,
    );
  });

  it('a hub that cannot be reached is a FAIL with what to check', async () => {
    const keystore = enrolledKeystore(createKeystore(sodium, new Date()), {
      applianceId: 'app-1',
      hubUrl: 'http://127.0.0.1:9',
      hubPublicKey: hubKey.publicKey,
    });
    rmSync(join(dir, 'keystore.json'));
    await saveKeystore(join(dir, 'keystore.json'), keystore);
    const { code, out } = await cli(...args());
    expect(code).toBe(1);
    expect(out[1]).toMatch(/^FAIL hub reachable: http:\/\/127.0.0.1:9: .*check the network and the hub URL$/);
    expect(out[2]).toMatch(/^PASS clock: .*hub unreachable: only checked against the keystore's creation/);
  });
});
