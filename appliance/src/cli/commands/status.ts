import { existsSync, readFileSync } from 'node:fs';
import { type CliCommand, type CliIo } from '@roomtone/provisioning';
import { STATUS_STALE_MS, type StatusDoc, readStatus } from '../../daemon';
import { daemonConfigOf } from './daemon-options';

interface StatusReport {
  daemon: { running: boolean; pid: number | null; statusAgeSeconds: number | null; why: string | null };
  keystore: { path: string; exists: boolean; enrolled: boolean; applianceId: string | null; hubUrl: string | null };
  status: StatusDoc | null;
}

/** `status [--json] [--data-dir D] [--keystore K]`: what the appliance is doing, from status.json and the keystore. */
export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'show enrolment, plan horizon, offline-safe-until, cache, now playing and last errors',
  usage: [
    'usage: roomtone-appliance status [--json] [--data-dir <dir>] [--keystore <path>]',
    '',
    'Reads <data dir>/status.json (written by the daemon every 2 s) and the keystore (never its secrets). Says so',
    'when the daemon is not running. --json prints one JSON object: { daemon, keystore, status }. Exit 0.',
  ].join('\n'),
  options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' }, keystore: { type: 'string' } },
  run(values, io) {
    const config = daemonConfigOf(values);
    const report = buildReport(config.dataDir, config.keystorePath, Date.now());
    if (values.json) io.stdout(JSON.stringify(report, null, 2));
    else printReport(report, io);
    return Promise.resolve(0);
  },
};

export function buildReport(dataDir: string, keystorePath: string, nowMs: number): StatusReport {
  let status: StatusDoc | null = null;
  let unreadable: string | null = null;
  try {
    status = readStatus(dataDir);
  } catch (error) {
    unreadable = error instanceof Error ? error.message : String(error);
  }
  const age = status ? (nowMs - Date.parse(status.writtenAt)) / 1000 : null;
  let running = false;
  let why: string | null = null;
  if (!status) {
    why = unreadable
      ? `status.json in ${dataDir} is unreadable (${unreadable})`
      : `no status.json in ${dataDir}: the daemon has not run with this data dir (systemctl start roomtone-appliance)`;
  } else if (!status.running) {
    why = `the daemon stopped at ${status.writtenAt}`;
  } else if (age !== null && age * 1000 > STATUS_STALE_MS) {
    why = `status.json is ${Math.round(age)} s old: the daemon is not running or hung (journalctl -u roomtone-appliance)`;
  } else if (!processAlive(status.pid)) {
    why = `process ${status.pid} is gone`;
  } else {
    running = true;
  }
  const keystore = readKeystoreSummary(keystorePath);
  return {
    daemon: { running, pid: status?.pid ?? null, statusAgeSeconds: age === null ? null : Math.round(age), why },
    keystore,
    status,
  };
}

function readKeystoreSummary(path: string): StatusReport['keystore'] {
  if (!existsSync(path)) return { path, exists: false, enrolled: false, applianceId: null, hubUrl: null };
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { applianceId?: unknown; hubUrl?: unknown };
    const applianceId = typeof doc.applianceId === 'string' ? doc.applianceId : null;
    const hubUrl = typeof doc.hubUrl === 'string' ? doc.hubUrl : null;
    return { path, exists: true, enrolled: applianceId !== null && hubUrl !== null, applianceId, hubUrl };
  } catch {
    return { path, exists: true, enrolled: false, applianceId: null, hubUrl: null };
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function printReport(report: StatusReport, io: CliIo): void {
  const line = (label: string, text: string): void => io.stdout(`${`${label}:`.padEnd(20)}${text}`);
  const { daemon, keystore, status } = report;
  line(
    'daemon',
    daemon.running
      ? `running (pid ${daemon.pid}, status ${daemon.statusAgeSeconds} s old)`
      : `NOT RUNNING: ${daemon.why}`,
  );
  line(
    'enrolment',
    keystore.enrolled
      ? `appliance ${keystore.applianceId} of ${keystore.hubUrl} (keystore ${keystore.path})`
      : keystore.exists
        ? `keystore ${keystore.path} is not enrolled: roomtone-appliance enroll --hub <url> --code <code>`
        : `no keystore at ${keystore.path}: roomtone-appliance enroll --hub <url> --code <code>`,
  );
  if (!status) return;
  const prefix = daemon.running ? '' : 'last known: ';
  line('state', `${prefix}${status.state} since ${status.since}${status.reason ? ` (${status.reason})` : ''}`);
  line('plan', status.plan.id ? `${status.plan.id}, horizon until ${status.plan.until}` : 'none yet');
  line('offline-safe until', status.offlineSafeUntil ?? 'n/a (not playing under a plan and licence)');
  line(
    'clock',
    status.clock.trusted
      ? `trusted (${status.clock.basis}; wall clock ${Math.round((status.clock.wallSkewMs ?? 0) / 1000)} s off)${status.clock.note ? `: ${status.clock.note}` : ''}`
      : `NOT TRUSTED: ${status.clock.note ?? 'unknown'}`,
  );
  line('hub', `${status.hub.online ? 'online' : 'offline'}, last signed hub time ${status.hub.lastHubTime ?? 'never'}`);
  line(
    'cache',
    status.cache
      ? `${status.cache.tracks} tracks, ${mb(status.cache.bytes)} of ${mb(status.cache.budgetBytes)} budget, ${status.cache.missing} missing`
      : 'unknown',
  );
  const np = status.nowPlaying;
  line(
    'now playing',
    np
      ? `${np.title ?? np.trackId}${np.artist ? ` by ${np.artist}` : ''} (track ${np.trackId}, programme ${np.programmeId}, block ${np.blockId}, since ${np.startedAt}, ${np.quality}, play #${np.sequence})`
      : 'nothing',
  );
  line(
    'play log',
    status.playLog
      ? `${status.playLog.pending} pending upload, last sequence ${status.playLog.lastSequence}`
      : 'unknown',
  );
  line(
    'audio',
    `${status.audio.connected ? 'connected' : 'NOT CONNECTED'} (${status.audio.socket}${status.audio.sink ? `, sink ${status.audio.sink}` : ''})`,
  );
  if (status.errors.length === 0) {
    line('last errors', 'none');
  } else {
    line('last errors', '');
    for (const e of status.errors.slice(0, 5)) io.stdout(`  ${e.at} ${e.message}`);
  }
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
