import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import {
  createEnrolmentRequest,
  createKeystore,
  enrolledKeystore,
  parseEnrolmentCode,
  ProvisioningError,
  saveKeystore,
  verifyEnrolmentResponse,
  type Clock,
  type Keystore,
  type Sodium,
} from '@roomtone/provisioning';
import { refusalFrom } from './hub-refusal';

/** What enrolment needs; `fetch` and `clock` are injected for tests. */
export interface EnrolOptions {
  hubUrl: string;
  code: string;
  keystorePath: string;
  sodium: Sodium;
  clock: Clock;
  fetch?: typeof fetch;
}

/** The enrolled appliance, as the hub answered. */
export interface Enrolled {
  applianceId: string;
  venueId: string;
  zoneId: string;
  keystore: Keystore;
}

/**
 * Enrols this device: checks the code's check character before any network call, refuses to overwrite a keystore,
 * generates the keys here (the private halves never leave the device), sends the signed enrolment request, checks
 * the hub's signed answer, pins the hub key and writes the keystore atomically with mode 0600.
 */
export async function enrol(options: EnrolOptions): Promise<Enrolled> {
  const code = parseEnrolmentCode(options.code);
  const hub = parseHubUrl(options.hubUrl);
  await assertNoKeystore(options.keystorePath);
  const fresh = createKeystore(options.sodium, new Date(options.clock.now()));
  const request = createEnrolmentRequest(options.sodium, fresh.keys, code, options.clock);
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(new URL('appliances/enrol', `${hub}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(`cannot reach the hub at ${hub} (${cause}): check --hub and the network, then retry`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) throw refusalFrom(response.status, text);
  let body: { venueId?: unknown; zoneId?: unknown; response?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ProvisioningError(
      'ENROLMENT_MESSAGE_INVALID',
      'hub answered with something other than JSON: check --hub',
    );
  }
  const pinned = verifyEnrolmentResponse(options.sodium, body.response, request);
  const keystore = enrolledKeystore(fresh, {
    applianceId: pinned.applianceId,
    hubUrl: hub,
    hubPublicKey: pinned.hubPublicKey,
  });
  await fs.mkdir(dirname(options.keystorePath), { recursive: true, mode: 0o700 });
  await saveKeystore(options.keystorePath, keystore);
  return {
    applianceId: pinned.applianceId,
    venueId: typeof body.venueId === 'string' ? body.venueId : '',
    zoneId: typeof body.zoneId === 'string' ? body.zoneId : '',
    keystore,
  };
}

function parseHubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProvisioningError('ENROLMENT_URL_INVALID', `--hub ${text} is not a URL (like https://hub.example.com)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProvisioningError('ENROLMENT_URL_INVALID', `--hub must be an http(s) URL, got ${text}`);
  }
  return url.toString().replace(/\/$/, '');
}

async function assertNoKeystore(path: string): Promise<void> {
  const exists = await fs.stat(path).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new ProvisioningError(
      'KEYSTORE_EXISTS',
      `${path} already exists: this device is enrolled already; move the old keystore away to enrol it again`,
    );
  }
}
