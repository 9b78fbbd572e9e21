import { JsonLogger } from './json-logger';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: string[] = [];
  const logger = new JsonLogger(
    level,
    (l) => lines.push(l),
    () => new Date('2026-11-24T02:00:00.000Z'),
  );
  return { logger, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with time, level, context and fields', () => {
    const { logger, records } = capture();
    logger.log({ msg: 'request', status: 200 }, 'http');
    expect(records()).toEqual([
      { time: '2026-11-24T02:00:00.000Z', level: 'info', context: 'http', msg: 'request', status: 200 },
    ]);
  });

  it('never logs secrets: password, token, cookie and authorization keys are masked, URL passwords removed', () => {
    const { logger, records } = capture();
    logger.log({
      msg: 'login',
      password: 'hunter2',
      headers: { authorization: 'Bearer abc', cookie: 'sid=1' },
      apiToken: 't',
      url: 'postgres://roomtone:s3cret@db/roomtone',
    });
    const [record] = records();
    expect(record).toMatchObject({
      password: '***',
      headers: { authorization: '***', cookie: '***' },
      apiToken: '***',
      url: 'postgres://roomtone:***@db/roomtone',
    });
    expect(JSON.stringify(record)).not.toMatch(/hunter2|Bearer abc|s3cret/);
  });

  it('filters by level and demotes Nest boot chatter to debug', () => {
    const { logger, records } = capture('info');
    logger.debug('detail');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.warn('careful');
    expect(records().map((r) => r.msg)).toEqual(['careful']);
  });

  it('keeps the stack Nest passes with errors', () => {
    const { logger, records } = capture();
    logger.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(records()[0]).toMatchObject({ level: 'error', msg: 'boom', stack: 'Error: boom\n    at x' });
  });
});
