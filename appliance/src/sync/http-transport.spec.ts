import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeTransport } from './http-transport';

describe('nodeTransport (the appliance HTTP transport)', () => {
  let server: http.Server;
  let base: string;
  const sockets = new Set<import('node:net').Socket>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/echo') {
          res.setHeader('x-method', req.method ?? '');
          res.setHeader('set-cookie', ['a=1', 'b=2']);
          res.end(Buffer.concat(chunks));
        } else if (req.url === '/not-modified') {
          res.statusCode = 304;
          res.end();
        } else if (req.url === '/silent') {
          // never answers
        } else if (req.url === '/stalls-mid-body') {
          res.writeHead(200, { 'content-length': '100' });
          res.write(Buffer.alloc(10, 1));
        }
      });
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body, and answers a web Response whose body streams', async () => {
    const response = await nodeTransport(5_000)(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"a":1}'),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-method')).toBe('POST');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await response.text()).toBe('{"a":1}');
  });

  it('gives a 304 a null body', async () => {
    const response = await nodeTransport(5_000)(`${base}/not-modified`, { method: 'GET', headers: {} });
    expect(response.status).toBe(304);
    expect(response.body).toBeNull();
  });

  it('fails a hub that never answers after the idle timeout (not forever)', async () => {
    const started = Date.now();
    await expect(nodeTransport(300)(`${base}/silent`, { method: 'GET', headers: {} })).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('fails a body that stops arriving after the idle timeout', async () => {
    const response = await nodeTransport(300)(`${base}/stalls-mid-body`, { method: 'GET', headers: {} });
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  it("the caller's signal aborts the wait for an answer and the body", async () => {
    const waiting = new AbortController();
    const pending = nodeTransport(60_000)(`${base}/silent`, { method: 'GET', headers: {}, signal: waiting.signal });
    setImmediate(() => waiting.abort(new Error('stopped')));
    await expect(pending).rejects.toThrow();

    const reading = new AbortController();
    const response = await nodeTransport(60_000)(`${base}/stalls-mid-body`, {
      method: 'GET',
      headers: {},
      signal: reading.signal,
    });
    const body = response.arrayBuffer();
    setImmediate(() => reading.abort(new Error('stopped')));
    await expect(body).rejects.toThrow();
  });
});
