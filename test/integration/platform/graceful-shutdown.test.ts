import net from 'node:net';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import { startHubProcess, stopHubProcess, type HubProcess } from '../../support/hub-process';

/** Resolves when `predicate` holds for something the stream accumulated. */
function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('graceful shutdown', () => {
  let db: FreshDatabase;
  let hub: HubProcess;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    hub = await startHubProcess({ ...db.env, ROOMTONE_DEMO_SEED: 'false' });
  });

  afterAll(async () => {
    if (hub) await stopHubProcess(hub);
    await db?.drop();
  });

  it('SIGTERM lets an in-flight request complete, refuses new connections, and exits 0', async () => {
    const body = JSON.stringify({ probe: 'in-flight' });
    const socket = net.connect(hub.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

    // Headers only, asking for 100-continue: the server's "100 Continue" proves it is serving this request.
    socket.write(
      'GET /health HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length}\r\nExpect: 100-continue\r\nX-Request-Id: in-flight-1\r\n\r\n`,
    );
    await waitFor(() => received.includes('100 Continue'), '100 Continue');

    hub.child.kill('SIGTERM');
    await waitFor(
      () => hub.stdout.some((l) => l.includes('stopping: finishing in-flight requests')),
      'the hub to start draining',
    );
    // Draining: the listening socket is closed, so a new connection is refused.
    await expect(fetch(`${hub.baseUrl}/health`)).rejects.toThrow();

    socket.write(body);
    await closed;
    expect(received).toMatch(/HTTP\/1\.1 200 OK/);
    expect(received).toContain('{"status":"ok"}');
    expect(received).toMatch(/X-Request-Id: in-flight-1/i);
    expect(await hub.exited).toBe(0);
    expect(hub.stdout.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});
