import { spawnHub } from '../../support/hub-process';

describe('hub refuses a bad environment at boot', () => {
  it('exits 1 with ONE line naming every bad key and what is expected', async () => {
    const hub = spawnHub({
      PORT: 'eighty',
      LOG_LEVEL: 'chatty',
      DATABASE_URL: 'mysql://root@db/roomtone',
      ROOMTONE_SHUTDOWN_GRACE_MS: '5',
    });
    hub.listening.catch(() => undefined);
    expect(await hub.exited).toBe(1);
    expect(hub.stdout).toEqual([]);
    expect(hub.stderr).toHaveLength(1);
    const line = hub.stderr[0];
    expect(line).toMatch(/^hub: invalid configuration: /);
    expect(line).toContain('PORT must be an integer between 0 and 65535 (got "eighty")');
    expect(line).toContain('LOG_LEVEL must be one of debug, info, warn, error (got "chatty")');
    expect(line).toContain(
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/db (unset it for SQLite)',
    );
    expect(line).toContain(
      'ROOMTONE_SHUTDOWN_GRACE_MS must be an integer number of milliseconds (1000 to 600000) (got "5")',
    );
    expect(line).not.toMatch(/\bat .+\.js:\d+/);
  });

  it('an unreachable PostgreSQL stops the process with one line saying why, no stack trace', async () => {
    const hub = spawnHub({ DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none', ROOMTONE_DATA_DIR: '/tmp' });
    hub.listening.catch(() => undefined);
    expect(await hub.exited).toBe(1);
    const last = hub.stderr[hub.stderr.length - 1];
    expect(last).toBe(
      'hub failed to start: connect ECONNREFUSED 127.0.0.1:1 (check DATABASE_URL and that PostgreSQL is running and reachable)',
    );
    expect(hub.stderr.join('\n')).not.toMatch(/\bat .+\.js:\d+/);
  });
});
