// Signature verification through the hub's real HTTP guard (@ApplianceAuth on GET /appliance/v1/whoami: RFC 9421
// parse, appliance lookup, Content-Digest, Ed25519 verify, nonce insert into the database, then the handler signs
// the hub time) beside raw Ed25519 verify and the library verifier, in the same process and run.
// `node bench/run.js bench/crypto/guard.ts [seconds per HTTP variant, default 5] [concurrency, default 8]`
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import {
  createKeystore,
  loadSodium,
  MemoryNonceStore,
  signRequest,
  verifyRequest,
  type Keystore,
  type Sodium,
} from '@roomtone/provisioning';
import { configureHub, createHubAdapter, HUB_APP_OPTIONS } from '../../hub/src/app.factory';
import { AppModule } from '../../hub/src/app.module';
import { AppliancesRepository } from '../../hub/src/appliances/appliances.repository';
import { newAppliance } from '../../hub/src/appliances/lifecycle/new-appliance';
import { JsonLogger } from '../../hub/src/common/logging/json-logger';
import * as tenancy from '../../hub/src/tenancy';

const SECONDS = Number(process.argv[2] ?? 5);
const CONCURRENCY = Number(process.argv[3] ?? 8);

function cpu(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

interface Figure {
  ops: number;
  wall: number;
  cpu: number;
}

function perSecond(f: Figure): string {
  return `${Math.round(f.ops / f.wall).toLocaleString('en')}/s wall, ${Math.round(f.ops / f.cpu).toLocaleString('en')}/CPU-s`;
}

function timed(ops: number, body: () => void): Figure {
  const w0 = performance.now();
  const c0 = cpu();
  body();
  return { ops, wall: (performance.now() - w0) / 1000, cpu: cpu() - c0 };
}

async function timedAsync(body: () => Promise<number>): Promise<Figure> {
  const w0 = performance.now();
  const c0 = cpu();
  const ops = await body();
  return { ops, wall: (performance.now() - w0) / 1000, cpu: cpu() - c0 };
}

/** Fires pre-built requests with `CONCURRENCY` keep-alive connections for SECONDS; returns how many got `expect`. */
async function hammer(
  port: number,
  requests: () => { path: string; headers: Record<string, string> },
  expect: number,
): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const deadline = performance.now() + SECONDS * 1000;
  let ok = 0;
  let bad = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const { path, headers } = requests();
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
      if (status === expect) ok++;
      else bad++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  if (bad > 0) throw new Error(`${bad} requests did not answer ${expect}`);
  return ok;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'roomtone-bench-guard-'));
  Object.assign(process.env, { ROOMTONE_DATA_DIR: dataDir, ROOMTONE_DEMO_SEED: 'false', LOG_LEVEL: 'error' });
  // ConfigModule reads the environment when the app is created, below.
  const logger = new JsonLogger('error', () => undefined);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHubAdapter(), {
    logger,
    ...HUB_APP_OPTIONS,
    abortOnError: false,
  });
  configureHub(app, logger);
  await app.listen(0, '127.0.0.1');
  const port = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port.port}`;

  const sodium: Sodium = await loadSodium();
  const organisation = await app.get(tenancy.OrganisationsRepository).create({ kind: 'business', name: 'Bench' });
  const venue = await app
    .get(tenancy.VenuesRepository)
    .create({ organisationId: organisation.id, name: 'Bench', timeZone: 'Europe/Berlin' });
  const zone = await app.get(tenancy.ZonesRepository).create(venue.id, 'Bar');
  const keystore: Keystore = {
    ...createKeystore(sodium, new Date()),
    applianceId: '0190aaaa-0000-7000-8000-000000000001',
  };
  await app.get(AppliancesRepository).insert([
    newAppliance({
      id: keystore.applianceId as string,
      venueId: venue.id,
      zoneId: zone.id,
      keys: { signing: keystore.keys.signing.publicKey, encryption: keystore.keys.encryption.publicKey },
      via: 'code',
      now: new Date(),
    }),
  ]);
  const clock = { now: () => Date.now() };
  const signer = { sodium, keyId: keystore.applianceId as string, secretKey: keystore.keys.signing.secretKey, clock };
  const url = `${base}/appliance/v1/whoami`;
  const sign = () => signRequest({ method: 'GET', url }, signer);

  // Raw Ed25519 verify of a signature base of the size the guard verifies.
  const base64 = Buffer.from(`"@method": GET\n"@target-uri": ${url}\n"@signature-params": ${'x'.repeat(120)}`);
  const signature = sodium.signDetached(base64, keystore.keys.signing.secretKey.expose());
  const RAW = 20_000;
  const raw = timed(RAW, () => {
    for (let i = 0; i < RAW; i++) sodium.verifyDetached(signature, base64, keystore.keys.signing.publicKey);
  });

  // The library verifier alone (structured-field parsing, base, verify, in-memory nonces), requests pre-signed.
  const LIB = 10_000;
  const presigned = Array.from({ length: LIB }, sign);
  const nonces = new MemoryNonceStore();
  const known = { publicKey: keystore.keys.signing.publicKey, revoked: false };
  const library = await timedAsync(async () => {
    for (const headers of presigned) {
      await verifyRequest(
        { method: 'GET', targetUri: url, headers: { ...headers } },
        { sodium, clock, nonces, lookupKey: () => known },
      );
    }
    return LIB;
  });

  // Through HTTP: signed whoami (guard + handler) and, as the HTTP floor, unsigned GET /health.
  const host = `127.0.0.1:${port.port}`;
  const pool = Array.from({ length: Math.ceil(SECONDS * 6000) }, sign);
  let next = 0;
  const signedHttp = await timedAsync(() =>
    hammer(
      port.port,
      () => {
        if (next >= pool.length) pool.push(...Array.from({ length: 1000 }, sign));
        return { path: '/appliance/v1/whoami', headers: { ...pool[next++], host } };
      },
      200,
    ),
  );
  const plainHttp = await timedAsync(() => hammer(port.port, () => ({ path: '/health', headers: { host } }), 200));

  const lines = [
    `backend: ${sodium.name}, ${SECONDS} s per HTTP variant, ${CONCURRENCY} keep-alive connections, client and hub in this process`,
    `raw Ed25519 verify:                      ${perSecond(raw)}`,
    `library verifyRequest (memory nonces):   ${perSecond(library)}   = ${(library.ops / library.cpu / (raw.ops / raw.cpu)).toFixed(2)} x raw (per CPU-s)`,
    `HTTP GET /health (no guard, floor):      ${perSecond(plainHttp)}`,
    `HTTP signed GET /appliance/v1/whoami:    ${perSecond(signedHttp)}   = ${(signedHttp.ops / signedHttp.cpu / (raw.ops / raw.cpu)).toFixed(3)} x raw, ${(signedHttp.ops / signedHttp.cpu / (plainHttp.ops / plainHttp.cpu)).toFixed(2)} x unsigned HTTP (per CPU-s)`,
  ];
  for (const line of lines) console.log(line);
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
