import { statSync, statfsSync } from 'node:fs';
import { type Keystore, type Sodium, loadKeystore, verifyDocument } from '@roomtone/provisioning';
import { PulseAudioOutput, resolvePulseSocket } from '../audio';
import { signedRequest } from '../enrolment/signed-client';
import { type WallClock, systemWallClock } from '../time';
import { type DaemonConfig } from './config';

/** One line of `roomtone-appliance doctor`. */
export interface Check {
  name: string;
  pass: boolean;
  /** What was found, and when it failed, what to do. */
  detail: string;
}

export interface DoctorDeps {
  sodium: Sodium;
  wall?: WallClock;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Free space below this fails the disk check (default 200 MB). */
  minFreeBytes?: number;
}

const MAX_SKEW_MS = 5 * 60_000;

/**
 * The installer's checks, each independent of the others' outcome where possible: keystore permissions, hub reachable
 * (a signed whoami: proves enrolment, keys and network at once), clock sanity (against the hub's signed time when
 * reachable, else against the keystore's creation time), disk space in the data dir, audio output reachable.
 */
export async function runDoctor(config: DaemonConfig, deps: DoctorDeps): Promise<Check[]> {
  const wall = deps.wall ?? systemWallClock;
  const checks: Check[] = [];
  const add = (name: string, pass: boolean, detail: string): void => {
    checks.push({ name, pass, detail });
  };

  // Keystore permissions.
  let keystore: Keystore | undefined;
  try {
    const mode = statSync(config.keystorePath).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      add(
        'keystore permissions',
        false,
        `${config.keystorePath} is mode ${octal(mode)}: run 'chmod 600 ${config.keystorePath}'`,
      );
    } else {
      keystore = await loadKeystore(deps.sodium, config.keystorePath);
      add('keystore permissions', true, `${config.keystorePath} is mode ${octal(mode)}`);
    }
  } catch (error) {
    add(
      'keystore permissions',
      false,
      `${config.keystorePath}: ${describe(error)}: enrol with 'roomtone-appliance enroll'`,
    );
  }

  // Hub reachable, and the clock against the hub's signed time.
  let hubTimeMs: number | undefined;
  if (!keystore || keystore.applianceId === null || keystore.hubUrl === null || keystore.hubPublicKey === null) {
    add(
      'hub reachable',
      false,
      "the appliance is not enrolled: run 'roomtone-appliance enroll --hub <url> --code <code>'",
    );
  } else {
    try {
      const started = wall.nowMs();
      const response = await signedRequest(
        keystore,
        { sodium: deps.sodium, clock: { now: () => wall.nowMs() }, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
        'GET',
        '/appliance/v1/whoami',
      );
      const body = response.body as { zoneId?: string | null; time?: unknown };
      const time = verifyDocument(deps.sodium, body.time, keystore.hubPublicKey) as { time?: string };
      hubTimeMs = Date.parse(String(time.time)) + (wall.nowMs() - started) / 2;
      add(
        'hub reachable',
        true,
        `${keystore.hubUrl} knows appliance ${keystore.applianceId} (zone ${body.zoneId ?? 'none'})`,
      );
    } catch (error) {
      const message = describe(error);
      const skew = /skew|clock/i.test(message);
      add(
        'hub reachable',
        false,
        `${keystore.hubUrl}: ${message}: ${skew ? 'set the clock (timedatectl set-ntp true)' : 'check the network and the hub URL'}`,
      );
      if (skew)
        add('clock', false, `the hub refused the request's time: ${message}: enable NTP (timedatectl set-ntp true)`);
    }
  }
  if (!checks.some((c) => c.name === 'clock')) {
    const now = wall.nowMs();
    if (hubTimeMs !== undefined) {
      const skew = now - hubTimeMs;
      add(
        'clock',
        Math.abs(skew) <= MAX_SKEW_MS,
        `wall clock ${new Date(now).toISOString()} is ${Math.round(skew / 1000)} s off the hub's signed time` +
          (Math.abs(skew) <= MAX_SKEW_MS ? '' : ': enable NTP (timedatectl set-ntp true)'),
      );
    } else if (keystore) {
      const created = Date.parse(keystore.createdAt);
      add(
        'clock',
        now >= created,
        now >= created
          ? `wall clock ${new Date(now).toISOString()} (hub unreachable: only checked against the keystore's creation, ${keystore.createdAt})`
          : `wall clock ${new Date(now).toISOString()} is before the keystore was made (${keystore.createdAt}): set the clock`,
      );
    } else {
      add('clock', false, `wall clock ${new Date(now).toISOString()}: cannot be checked without the hub or a keystore`);
    }
  }

  // Disk space where the cache and the play log live.
  try {
    const fs = statfsSync(config.dataDir);
    const free = fs.bavail * fs.bsize;
    const min = deps.minFreeBytes ?? 200 * 1024 * 1024;
    add(
      'disk space',
      free >= min,
      `${mb(free)} free in ${config.dataDir}` +
        (free >= min ? '' : ` (need ${mb(min)}): free space or lower the cache budget`),
    );
  } catch (error) {
    add(
      'disk space',
      false,
      `${config.dataDir}: ${describe(error)}: create it (systemd's StateDirectory=roomtone does)`,
    );
  }

  // Audio output.
  const socketPath = resolvePulseSocket(config.server, deps.env ?? process.env);
  const output = new PulseAudioOutput({
    socketPath,
    ...(config.sink ? { sink: config.sink } : {}),
    connectTimeoutMs: 3000,
  });
  const where = `${socketPath}${config.sink ? ` sink '${config.sink}'` : ' (default sink)'}`;
  try {
    await output.open();
    add('audio output', true, `PulseAudio at ${where}`);
  } catch (error) {
    add('audio output', false, `${where}: ${describe(error)}: start PulseAudio or fix --sink (pactl list short sinks)`);
  } finally {
    await output.close({ discard: true }).catch(() => undefined);
  }
  return checks;
}

/** `PASS keystore permissions: ...` lines. */
export function formatChecks(checks: Check[]): string[] {
  return checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`);
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function mb(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))} MB`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
