import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKeystore, loadSodium, systemClock, toBase64Url, type Sodium } from '@roomtone/provisioning';
import { signedRequest } from '../../../appliance/src/enrolment/signed-client';
import { APPLIANCE_CLI, call, PROVISION_CLI, runCli, signIn } from '../../support/hub-http';
import { startHubProcess, stopHubProcess, type HubProcess } from '../../support/hub-process';

describe('enrolment end to end: built hub process, built roomtone-appliance and roomtone-provision CLIs', () => {
  let hub: HubProcess;
  let dataDir: string;
  let work: string;
  let sodium: Sodium;
  let password: string;
  let venueId: string;
  let zoneId: string;

  beforeAll(async () => {
    sodium = await loadSodium();
    dataDir = mkdtempSync(join(tmpdir(), 'roomtone-e2e-hub-'));
    work = mkdtempSync(join(tmpdir(), 'roomtone-e2e-device-'));
    hub = await startHubProcess({ ROOMTONE_DATA_DIR: dataDir, ROOMTONE_DEMO_SEED: 'true' });
    // The demo seed prints its one-time password once, after "hub listening".
    for (let i = 0; i < 50 && !password; i++) {
      const line = hub.stdout.find((l) => /^\s+password\s+\S+$/.test(l));
      if (line) password = line.trim().split(/\s+/)[1];
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(password).toBeDefined();
    const installer = await signIn(hub.baseUrl, 'installer@demo.roomtone.test', password);
    const venues = await call<{ id: string }[]>(hub.baseUrl, 'GET', '/venues', installer);
    venueId = venues.body[0].id;
    const zones = await call<{ id: string }[]>(hub.baseUrl, 'GET', `/venues/${venueId}/zones`, installer);
    zoneId = zones.body[0].id;
  }, 60_000);

  afterAll(async () => {
    if (hub) await stopHubProcess(hub);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('installer code -> enroll CLI -> signed request works -> revoke -> 401 with the reason', async () => {
    const installer = await signIn(hub.baseUrl, 'installer@demo.roomtone.test', password);
    const issued = await call(hub.baseUrl, 'POST', `/venues/${venueId}/zones/${zoneId}/enrolment-codes`, installer, {});
    expect(issued.status).toBe(201);
    const code = issued.body.code as string;

    const keystorePath = join(work, 'var/lib/roomtone/keystore.json');
    const enrolled = await runCli(APPLIANCE_CLI, ['enroll', '--hub', hub.baseUrl, '--code', code], {
      ROOMTONE_KEYSTORE: keystorePath,
    });
    expect(enrolled.stderr).toBe('');
    expect(enrolled.code).toBe(0);
    const match = /^enrolled appliance ([0-9a-f-]{36}) in zone ([0-9a-f-]{36}) \(keystore (.+)\)\n$/.exec(
      enrolled.stdout,
    );
    expect(match?.[2]).toBe(zoneId);
    expect(match?.[3]).toBe(keystorePath);
    const applianceId = match?.[1] as string;
    expect(statSync(keystorePath).mode & 0o777).toBe(0o600);

    const keystore = await loadKeystore(sodium, keystorePath);
    const hubKeyFile = JSON.parse(readFileSync(join(dataDir, 'hub-signing-key.json'), 'utf8')) as { publicKey: string };
    expect(statSync(join(dataDir, 'hub-signing-key.json')).mode & 0o777).toBe(0o600);
    expect(keystore.applianceId).toBe(applianceId);
    expect(toBase64Url(keystore.hubPublicKey as Uint8Array)).toBe(hubKeyFile.publicKey);
    expect(hub.stdout.join('\n')).not.toContain(
      (JSON.parse(readFileSync(join(dataDir, 'hub-signing-key.json'), 'utf8')) as { seed: string }).seed,
    );

    const reused = await runCli(APPLIANCE_CLI, [
      'enroll',
      '--hub',
      hub.baseUrl,
      '--code',
      code,
      '--keystore',
      join(work, 'second.json'),
    ]);
    expect(reused.code).toBe(2);
    expect(reused.stderr).toMatch(
      /^roomtone-appliance enroll: hub refused: this enrolment code was already used .*\[ENROLMENT_CODE_USED\]\n$/,
    );

    const whoami = await signedRequest(keystore, { sodium, clock: systemClock }, 'GET', '/appliance/v1/whoami');
    expect(whoami.status).toBe(200);
    expect(whoami.body).toMatchObject({ applianceId, venueId, zoneId });

    const manager = await signIn(hub.baseUrl, 'manager@demo.roomtone.test', password);
    const revoked = await call(hub.baseUrl, 'POST', `/appliances/${applianceId}/revoke`, manager, {
      reason: 'unit reported stolen',
    });
    expect(revoked.status).toBe(200);
    const refused = await signedRequest(keystore, { sodium, clock: systemClock }, 'GET', '/appliance/v1/whoami', {
      acceptErrors: true,
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      code: 'SIGNATURE_KEY_REVOKED',
      message: `appliance ${applianceId} is revoked: unit reported stolen`,
    });
  });

  it('a typo in the code exits 2 with one line before any network call (the hub URL is unreachable)', async () => {
    const installer = await signIn(hub.baseUrl, 'installer@demo.roomtone.test', password);
    const issued = await call(hub.baseUrl, 'POST', `/venues/${venueId}/zones/${zoneId}/enrolment-codes`, installer, {
      replace: true,
    });
    const code = issued.body.code as string;
    const typo = code.slice(0, 2) + (code[2] === '7' ? '8' : '7') + code.slice(3);
    const result = await runCli(APPLIANCE_CLI, [
      'enroll',
      '--hub',
      'http://127.0.0.1:9',
      '--code',
      typo,
      '--keystore',
      join(work, 'typo.json'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'roomtone-appliance enroll: enrolment code has a typo (its check character does not match): re-type it carefully [ENROLMENT_CODE_CHECK]\n',
    );
    expect(readdirSync(work)).not.toContain('typo.json');
  });

  it('roomtone-provision bundle registers keystores with the real hub; a bundled keystore makes signed requests', async () => {
    const operator = await signIn(hub.baseUrl, 'operator@demo.roomtone.test', password);
    const token = await call(hub.baseUrl, 'POST', '/auth/tokens', operator, { name: 'factory' });
    expect(token.status).toBe(201);
    const out = join(work, 'bundle');
    const bundled = await runCli(PROVISION_CLI, [
      'bundle',
      '--venue',
      venueId,
      '--count',
      '3',
      '--out',
      out,
      '--hub',
      hub.baseUrl,
      '--token',
      token.body.token as string,
    ]);
    expect(bundled.stderr).toBe('');
    expect(bundled.code).toBe(0);
    expect(bundled.stdout).toBe(`wrote 3 keystores for venue ${venueId} to ${out}\n`);
    const manifest = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')) as {
      appliances: { keystore: string; id: string }[];
    };
    expect(manifest.appliances).toHaveLength(3);
    const keystore = await loadKeystore(sodium, join(out, manifest.appliances[1].keystore));
    const whoami = await signedRequest(keystore, { sodium, clock: systemClock }, 'GET', '/appliance/v1/whoami');
    expect(whoami.body).toMatchObject({ applianceId: manifest.appliances[1].id, venueId, zoneId: null });
  });
});
