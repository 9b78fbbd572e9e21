import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const UNIT = join(__dirname, '../../../appliance/systemd/roomtone-appliance.service');

/** The unit's [Service] assignments (the last one of a key wins, as in systemd; repeated ones are kept as a list). */
function serviceSection(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (section !== 'Service') continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    keys.set(key, [...(keys.get(key) ?? []), line.slice(at + 1)]);
  }
  return keys;
}

describe('systemd unit appliance/systemd/roomtone-appliance.service', () => {
  const service = serviceSection(readFileSync(UNIT, 'utf8'));
  const one = (key: string) => service.get(key)?.at(-1);

  it('is a Type=notify service restarted always after 2 s, with a 30 s watchdog, at Nice=-10 as user roomtone', () => {
    expect(one('Type')).toBe('notify');
    // The notifications come from a systemd-notify child process.
    expect(one('NotifyAccess')).toBe('all');
    expect(one('Restart')).toBe('always');
    expect(one('RestartSec')).toBe('2');
    expect(one('WatchdogSec')).toBe('30');
    expect(one('Nice')).toBe('-10');
    expect(one('User')).toBe('roomtone');
    expect(one('StateDirectory')).toBe('roomtone');
    expect(one('EnvironmentFile')).toBe('-/etc/default/roomtone-appliance');
    expect(one('ExecStart')).toMatch(/roomtone-appliance\.js run$/);
    expect(service.get('Environment')).toContain('ROOMTONE_DATA_DIR=/var/lib/roomtone');
  });

  it('passes systemd-analyze verify, with the system-wide PulseAudio unit of the install steps', () => {
    const pulseUnit = join(__dirname, '../../../appliance/systemd/roomtone-pulseaudio.service');
    const result = spawnSync('systemd-analyze', ['verify', UNIT, pulseUnit], { encoding: 'utf8' });
    if (result.error)
      throw new Error("systemd-analyze is required by this test: install it with 'apt-get install -y systemd'");
    // Warnings about the unit itself name its file; other units' noise on a container host does not.
    expect(result.stderr.split('\n').filter((l) => /roomtone-(appliance|pulseaudio)\.service/.test(l))).toEqual([]);
    expect(result.status).toBe(0);
  });
});
