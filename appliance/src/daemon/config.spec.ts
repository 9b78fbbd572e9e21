import { DaemonConfigError, resolveDaemonConfig } from './config';
import { SdNotifier } from './sd-notify';

describe('resolveDaemonConfig', () => {
  it('defaults to /var/lib/roomtone and its keystore', () => {
    expect(resolveDaemonConfig({}, {})).toEqual({
      dataDir: '/var/lib/roomtone',
      keystorePath: '/var/lib/roomtone/keystore.json',
    });
  });

  it('options win over the environment; the keystore follows a given data dir', () => {
    const env = { ROOMTONE_DATA_DIR: '/srv/env', ROOMTONE_PULSE_SINK: 'env_sink' };
    expect(resolveDaemonConfig({ 'data-dir': '/srv/opt', sink: 'opt_sink', server: '/run/pulse/native' }, env)).toEqual(
      {
        dataDir: '/srv/opt',
        keystorePath: '/srv/opt/keystore.json',
        sink: 'opt_sink',
        server: '/run/pulse/native',
      },
    );
    expect(resolveDaemonConfig({}, env)).toMatchObject({
      dataDir: '/srv/env',
      keystorePath: '/srv/env/keystore.json',
      sink: 'env_sink',
    });
    expect(resolveDaemonConfig({}, { ROOMTONE_KEYSTORE: '/etc/ks.json' }).keystorePath).toBe('/etc/ks.json');
  });

  it('a bad sink name or an empty option is refused with what is expected', () => {
    expect(() => resolveDaemonConfig({ sink: 'two words' }, {})).toThrow(DaemonConfigError);
    expect(() => resolveDaemonConfig({ 'data-dir': ' ' }, {})).toThrow('--data-dir needs a value');
  });
});

describe('SdNotifier', () => {
  it('is off without NOTIFY_SOCKET (sends nothing, no watchdog)', async () => {
    const notifier = new SdNotifier({});
    expect(notifier.enabled).toBe(false);
    expect(notifier.watchdogIntervalMs()).toBeUndefined();
    expect(await notifier.send(['READY=1'])).toBe(false);
  });

  it('pings the watchdog at half of WatchdogSec, only for its own pid', () => {
    expect(new SdNotifier({ NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '30000000' }).watchdogIntervalMs()).toBe(15_000);
    expect(
      new SdNotifier({
        NOTIFY_SOCKET: '/run/x',
        WATCHDOG_USEC: '30000000',
        WATCHDOG_PID: String(process.pid + 1),
      }).watchdogIntervalMs(),
    ).toBeUndefined();
  });

  it('a notifier that cannot send counts the failure and never throws', async () => {
    const notifier = new SdNotifier({ NOTIFY_SOCKET: '/nonexistent/socket' }, '/nonexistent/systemd-notify');
    expect(await notifier.send(['WATCHDOG=1'])).toBe(false);
    expect(notifier.failed).toBe(1);
  });
});
