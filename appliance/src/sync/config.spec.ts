import { resolveSyncConfig } from './config';

describe('resolveSyncConfig', () => {
  it('defaults: 2048 MiB budget, no bandwidth cap', () => {
    expect(resolveSyncConfig({})).toEqual({ cacheBudgetBytes: 2048 * 1024 * 1024, bandwidthBytesPerSecond: null });
  });

  it('reads ROOMTONE_CACHE_BUDGET_MB and ROOMTONE_BANDWIDTH_KBPS (kilobits per second)', () => {
    expect(resolveSyncConfig({ ROOMTONE_CACHE_BUDGET_MB: '512', ROOMTONE_BANDWIDTH_KBPS: '2000' })).toEqual({
      cacheBudgetBytes: 512 * 1024 * 1024,
      bandwidthBytesPerSecond: 250_000,
    });
  });

  it('names every bad key at once', () => {
    expect(() => resolveSyncConfig({ ROOMTONE_CACHE_BUDGET_MB: '2GB', ROOMTONE_BANDWIDTH_KBPS: '-5' })).toThrow(
      /ROOMTONE_CACHE_BUDGET_MB must be .* got '2GB'; ROOMTONE_BANDWIDTH_KBPS must be .* got '-5'/,
    );
  });
});
