import { signRequest, type Clock, type Keystore, type Sodium } from '@roomtone/provisioning';
import { refusalFrom } from './hub-refusal';

/** A response from the hub to a signed request. */
export interface HubResponse {
  status: number;
  body: unknown;
}

/**
 * Sends one RFC 9421-signed request to the appliance's hub (the URL pinned in its keystore) and returns the
 * status and parsed JSON body; a non-2xx answer is thrown as a HubRefusal unless `acceptErrors`. Later daemon
 * features (check-in, plans, downloads, plays) send their requests through here.
 */
export async function signedRequest(
  keystore: Keystore,
  deps: { sodium: Sodium; clock: Clock; fetch?: typeof fetch },
  method: string,
  path: string,
  options: { json?: unknown; acceptErrors?: boolean } = {},
): Promise<HubResponse> {
  if (keystore.applianceId === null || keystore.hubUrl === null) {
    throw new Error('this keystore is not enrolled: run roomtone-appliance enroll first');
  }
  const url = new URL(path.replace(/^\//, ''), `${keystore.hubUrl}/`).toString();
  const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json), 'utf8');
  const signature = signRequest(
    { method, url, body },
    { sodium: deps.sodium, keyId: keystore.applianceId, secretKey: keystore.keys.signing.secretKey, clock: deps.clock },
  );
  const headers: Record<string, string> = { ...signature };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await (deps.fetch ?? fetch)(url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok && !options.acceptErrors) throw refusalFrom(response.status, text);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed };
}
