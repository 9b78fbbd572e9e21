import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadKeystore, loadSodium, toBase64Url } from '@roomtone/provisioning';
import { filesIn, oneLine, run, tempDir } from './cli-support';

// A stand-in for the hub's documented endpoint (provisioning/README.md): POST /api/venues/:venueId/appliances/bundle.
describe('roomtone-provision bundle', () => {
  const hubPublicKey = Buffer.alloc(32, 0xab);
  let server: Server;
  let base: string;
  const received: { url?: string; auth?: string; body: string }[] = [];
  let status = 201;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ url: req.url, auth: req.headers.authorization, body });
        if (status !== 201) {
          res
            .writeHead(status, { 'content-type': 'application/json' })
            .end(JSON.stringify({ message: 'installer is not authorised for venue v-1' }));
          return;
        }
        const { appliances } = JSON.parse(body) as { appliances: unknown[] };
        res.writeHead(201, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            appliances: appliances.map((_, i) => ({ id: `app-${i + 1}` })),
            hubPublicKey: toBase64Url(hubPublicKey),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('registers only public keys and writes one enrolled 0600 keystore per appliance', async () => {
    const out = join(tempDir('bundle'), 'venue-1');
    const result = await run('provision', [
      'bundle',
      '--venue',
      'v-1',
      '--count',
      '3',
      '--out',
      out,
      '--hub',
      base,
      '--token',
      'tok-123',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const request = received.at(-1)!;
    expect(request).toMatchObject({ url: '/api/venues/v-1/appliances/bundle', auth: 'Bearer tok-123' });
    const body = JSON.parse(request.body) as { appliances: { publicKeys: { signing: string; encryption: string } }[] };
    expect(body.appliances).toHaveLength(3);
    expect(filesIn(out)).toEqual(['app-1.keystore.json', 'app-2.keystore.json', 'app-3.keystore.json', 'bundle.json']);
    const sodium = await loadSodium();
    for (let i = 0; i < 3; i++) {
      const path = join(out, `app-${i + 1}.keystore.json`);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const ks = await loadKeystore(sodium, path);
      expect(ks).toMatchObject({ applianceId: `app-${i + 1}`, hubUrl: base });
      expect(Buffer.from(ks.hubPublicKey!)).toEqual(hubPublicKey);
      expect(body.appliances[i].publicKeys.signing).toBe(toBase64Url(ks.keys.signing.publicKey));
      // the hub never receives a private key
      expect(request.body).not.toContain(toBase64Url(ks.keys.signing.seed.expose()));
      expect(request.body).not.toContain(toBase64Url(ks.keys.encryption.secretKey.expose()));
    }
    expect(readFileSync(join(out, 'bundle.json'), 'utf8')).not.toMatch(/seed|secretKey/);
  });

  it('hub refuses: one clear line, exit 2, nothing written', async () => {
    status = 403;
    const out = join(tempDir('bundle'), 'venue-1');
    const result = await run('provision', [
      'bundle',
      '--venue',
      'v-1',
      '--count',
      '2',
      '--out',
      out,
      '--hub',
      base,
      '--token',
      'bad',
    ]);
    status = 201;
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(
      /hub refused the bundle \(HTTP 403: installer is not authorised for venue v-1\); nothing was written/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('hub unreachable: one clear line, exit 2, nothing written', async () => {
    const out = join(tempDir('bundle'), 'venue-1');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await run('provision', [
      'bundle',
      '--venue',
      'v-1',
      '--count',
      '2',
      '--out',
      out,
      '--hub',
      `http://127.0.0.1:${port}`,
      '--token',
      't',
    ]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(
      `roomtone-provision bundle: cannot reach the hub at http://127.0.0.1:${port}/ (ECONNREFUSED): check --hub and the network; nothing was written [HUB_UNREACHABLE]`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('without --hub: usage error, nothing written', async () => {
    const out = join(tempDir('bundle'), 'venue-1');
    const result = await run('provision', ['bundle', '--venue', 'v-1', '--count', '2', '--out', out], {
      ROOMTONE_HUB_URL: '',
      ROOMTONE_API_TOKEN: '',
    });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/--hub is required/);
    expect(existsSync(out)).toBe(false);
  });
});
