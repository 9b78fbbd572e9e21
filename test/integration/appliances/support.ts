import type { AddressInfo } from 'node:net';
import {
  createEnrolmentRequest,
  createKeystore,
  enrolledKeystore,
  signRequest,
  verifyEnrolmentResponse,
  type Clock as ProvisioningClock,
  type Keystore,
  type Sodium,
} from '@roomtone/provisioning';
import type { TestingModuleBuilder } from '@nestjs/testing';
import type { FixedClock } from '../../../hub/src/common/time/clock';
import type { FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { createTenant, createUser, signIn, startClockedHub, type TenantFixture } from '../authz/support/fixtures';

/** The provisioning library's clock view of the hub's FixedClock, so device and hub agree on "now". */
export function deviceClock(clock: FixedClock, offsetMs = 0): ProvisioningClock {
  return { now: () => clock.now().getTime() + offsetMs };
}

/** Makes the in-process hub listen on a free loopback port; signatures cover the URL, so tests use real URLs. */
export async function listen(hub: TestHub): Promise<string> {
  await hub.app.listen(0, '127.0.0.1');
  const server = hub.app.getHttpServer() as { address(): AddressInfo };
  const address = server.address();
  return `http://127.0.0.1:${address.port}`;
}

/** Headers of a signed-in user (cookie session + CSRF token). */
export type UserHeaders = Record<string, string>;

export async function userHeaders(hub: TestHub, email: string): Promise<UserHeaders> {
  const session = await signIn(hub.app, email);
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

/** A JSON request; returns status and parsed body. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; json?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Issues a code for a zone as `user`; returns the display code. */
export async function issueCode(
  base: string,
  user: UserHeaders,
  venueId: string,
  zoneId: string,
  json: Record<string, unknown> = {},
): Promise<string> {
  const issued = await call(base, 'POST', `/venues/${venueId}/zones/${zoneId}/enrolment-codes`, {
    headers: user,
    json,
  });
  if (issued.status !== 201) throw new Error(`code not issued: ${issued.status} ${JSON.stringify(issued.body)}`);
  return issued.body.code as string;
}

/** Enrols a fresh device with `code` and returns its enrolled keystore (kept in memory). */
export async function enrolDevice(
  base: string,
  sodium: Sodium,
  clock: ProvisioningClock,
  code: string,
): Promise<Keystore> {
  const fresh = createKeystore(sodium, new Date(clock.now()));
  const request = createEnrolmentRequest(sodium, fresh.keys, code, clock);
  const answer = await call(base, 'POST', '/appliances/enrol', { json: request });
  if (answer.status !== 201) throw new Error(`not enrolled: ${answer.status} ${JSON.stringify(answer.body)}`);
  const pinned = verifyEnrolmentResponse(sodium, answer.body.response, request);
  return enrolledKeystore(fresh, { applianceId: pinned.applianceId, hubUrl: base, hubPublicKey: pinned.hubPublicKey });
}

/** Signs a request as `keystore` and returns the headers to send (content-type added for bodies). */
export function signedHeaders(
  sodium: Sodium,
  clock: ProvisioningClock,
  keystore: Keystore,
  method: string,
  url: string,
  body?: Buffer,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...signRequest(
      { method, url, body },
      { sodium, keyId: keystore.applianceId ?? 'none', secretKey: keystore.keys.signing.secretKey, clock },
    ),
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

/** Sends a signed request; returns status and JSON body. */
export async function signedCall(
  sodium: Sodium,
  clock: ProvisioningClock,
  keystore: Keystore,
  method: string,
  url: string,
  json?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const response = await fetch(url, {
    method,
    headers: signedHeaders(sodium, clock, keystore, method, url, body),
    body,
  });
  // JSON.parse here, not response.json(): objects from fetch's realm fail the canonical-JSON prototype checks under Jest.
  return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
}

/** A clocked hub listening on loopback, with one tenant and a signed-in operator: the appliance suites' usual start. */
export interface ApplianceHub {
  hub: TestHub;
  base: string;
  tenant: TenantFixture;
  operator: UserHeaders;
}

/**
 * Boots a hub on `db` with `clock` and the cheap hasher (startClockedHub), makes it listen, creates tenant
 * `tenantName` and operator `operatorEmail`, and signs the operator in.
 */
export async function startApplianceHub(
  db: FreshDatabase,
  clock: FixedClock,
  options: {
    env?: Record<string, string>;
    customise?: (b: TestingModuleBuilder) => TestingModuleBuilder;
    tenantName?: string;
    operatorEmail?: string;
  } = {},
): Promise<ApplianceHub> {
  const { tenantName = 'Alpha', operatorEmail = 'op@hub.test' } = options;
  const hub = await startClockedHub(db, clock, { env: options.env, customise: options.customise });
  try {
    const base = await listen(hub);
    const tenant = await createTenant(hub.app, tenantName);
    await createUser(hub.app, operatorEmail, true);
    const operator = await userHeaders(hub, operatorEmail);
    return { hub, base, tenant, operator };
  } catch (error) {
    // The suite never got the hub, so its afterAll cannot close it.
    await hub.close();
    throw error;
  }
}

/**
 * Boots `count` clocked hubs on the same database, each listening (stateless hubs behind a load balancer); tenant
 * `Alpha` and operator op@hub.test are created through the first.
 */
export async function startHubsOnOneDatabase(
  db: FreshDatabase,
  clock: FixedClock,
  count: number,
): Promise<{ hubs: TestHub[]; bases: string[]; tenant: TenantFixture }> {
  const hubs: TestHub[] = [];
  const bases: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const hub = await startClockedHub(db, clock);
      hubs.push(hub);
      bases.push(await listen(hub));
    }
    const tenant = await createTenant(hubs[0].app, 'Alpha');
    await createUser(hubs[0].app, 'op@hub.test', true);
    return { hubs, bases, tenant };
  } catch (error) {
    // The suite never got the hubs, so its afterAll cannot close them.
    for (const hub of hubs) await hub.close();
    throw error;
  }
}

/** Issues a code for the zone as `user` and enrols a fresh device with it, on the hub's clock: the enrolled keystore. */
export async function enrolInZone(
  base: string,
  sodium: Sodium,
  clock: FixedClock,
  user: UserHeaders,
  venueId: string,
  zoneId: string,
): Promise<Keystore> {
  return enrolDevice(base, sodium, deviceClock(clock), await issueCode(base, user, venueId, zoneId));
}
