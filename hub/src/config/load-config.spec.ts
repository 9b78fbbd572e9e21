import path from 'node:path';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('defaults: port 3000, ./data, SQLite inside the data dir, info logs', () => {
    const config = loadConfig({}, '/srv/hub');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('/srv/hub/data');
    expect(config.database).toEqual({ kind: 'sqlite', path: path.join('/srv/hub/data', 'roomtone.sqlite') });
    expect(config.logLevel).toBe('info');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.shutdownGraceMs).toBe(10_000);
    expect(config.minFreeDiskBytes).toBe(100 * 1024 * 1024);
    expect(config.demoSeed).toBe(true);
    expect(config.demoSeedFeatureSteps).toBe(true);
  });

  it('DATABASE_URL selects PostgreSQL; a relative data dir resolves against the working directory', () => {
    const config = loadConfig(
      { DATABASE_URL: 'postgres://u:p@db:5432/roomtone', ROOMTONE_DATA_DIR: 'var', PORT: '8080' },
      '/srv',
    );
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/roomtone' });
    expect(config.dataDir).toBe('/srv/var');
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('http://localhost:8080');
  });

  it('empty strings count as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, '/x').database.kind).toBe('sqlite');
  });

  it('names every bad key at once, with what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', ROOMTONE_DEMO_SEED: 'yes' }, '/x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT must be an integer between 0 and 65535 (got "eighty")');
    expect(message).toContain('LOG_LEVEL must be one of debug, info, warn, error (got "loud")');
    expect(message).toContain('DATABASE_URL must be a PostgreSQL URL');
    expect(message).toContain(
      'ROOMTONE_DEMO_SEED must be true, false or core (demo users and venue without feature extras) (got "yes")',
    );
    expect(message).not.toContain('\n');
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' }, '/x')).toThrow('PORT must be an integer between 0 and 65535');
  });

  it('ROOMTONE_TRACK_SECRET: base64url of 32 bytes is kept for the track secret; anything else is refused by name', () => {
    const secret = 'A'.repeat(43);
    expect(loadConfig({ ROOMTONE_TRACK_SECRET: secret }, '/x').trackSecret).toBe(secret);
    expect(loadConfig({}, '/x').trackSecret).toBeUndefined();
    expect(() => loadConfig({ ROOMTONE_TRACK_SECRET: 'short' }, '/x')).toThrow(
      'ROOMTONE_TRACK_SECRET must be base64url of 32 bytes (43 characters)',
    );
  });
});
