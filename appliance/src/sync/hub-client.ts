import { signRequest, type Clock, type Keystore, type Sodium } from '@roomtone/provisioning';
import { nodeTransport, type Transport } from './http-transport';

/** A hub answer that is not what the caller expected: status and the hub's error code when it gave one. */
export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

/**
 * RFC 9421-signed requests to the appliance's hub (the URL pinned in its keystore), returning the raw Response so
 * downloads stream. A request that goes silent (no byte for `timeoutMs`, default 30 s, waiting for the answer or
 * inside its body) fails; the caller's signal aborts it at any point. The transport is node:http, not the global
 * fetch (see http-transport.ts); tests may pass their own `fetch`.
 */
export class HubClient {
  /** Added to the local clock when signing: learned from the hub (its signed time, or a clock-skew refusal). */
  private offsetMs = 0;
  private readonly transport: Transport;

  constructor(
    private readonly keystore: Keystore,
    private readonly deps: { sodium: Sodium; clock: Clock; fetch?: Transport; timeoutMs?: number },
  ) {
    if (keystore.applianceId === null || keystore.hubUrl === null || keystore.hubPublicKey === null) {
      throw new Error('this keystore is not enrolled: run roomtone-appliance enroll first');
    }
    this.transport = deps.fetch ?? nodeTransport(deps.timeoutMs ?? 30_000);
  }

  get applianceId(): string {
    return this.keystore.applianceId!;
  }

  get hubPublicKey(): Uint8Array {
    return this.keystore.hubPublicKey!;
  }

  /**
   * Signs with the local clock plus `offsetMs` from now on. Sync sets it from each verified hub time, so an
   * appliance whose wall clock is wrong (dead RTC, no NTP) still signs requests the hub accepts.
   */
  setClockOffset(offsetMs: number): void {
    this.offsetMs = Number.isFinite(offsetMs) ? offsetMs : 0;
  }

  /** The local clock the client signs with, before the offset. */
  localClockMs(): number {
    return this.deps.clock.now();
  }

  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /**
   * Sends a signed request; `json` is sent as the body (its Content-Digest is signed). A 401 SIGNATURE_CLOCK_SKEW is
   * answered once by correcting the signing clock by the skew the hub names (else by its Date header) and retrying:
   * without that, an appliance with a wrong clock could never check in to learn the right time.
   */
  async request(
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const response = await this.send(method, path, options);
    if (response.status !== 401) return response;
    const text = await response.text();
    const correction = skewCorrectionMs(text, response.headers.get('date'), this.deps.clock.now() + this.offsetMs);
    if (correction === null) {
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    this.offsetMs += correction;
    return this.send(method, path, options);
  }

  private async send(
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), `${this.keystore.hubUrl}/`).toString();
    const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json), 'utf8');
    const signature = signRequest(
      { method, url, body },
      {
        sodium: this.deps.sodium,
        keyId: this.keystore.applianceId!,
        secretKey: this.keystore.keys.signing.secretKey,
        clock: { now: () => this.deps.clock.now() + this.offsetMs },
      },
    );
    const headers: Record<string, string> = { ...options.headers, ...signature };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.transport(url, { method, headers, body, signal: options.signal });
    } catch (error) {
      const failure = error as { cause?: { code?: string }; code?: string; name?: string };
      const cause = failure.cause?.code ?? failure.code ?? failure.name;
      throw new HubError(0, null, `cannot reach the hub at ${this.keystore.hubUrl} (${cause})`);
    }
  }

  /** A signed request whose answer must be 2xx JSON (or one of `accept`); returns status, ETag and parsed body. */
  async json(
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string>; accept?: number[] } = {},
  ): Promise<{ status: number; etag: string | null; body: unknown }> {
    const response = await this.request(method, path, options);
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = text;
    }
    if (!response.ok && !(options.accept ?? []).includes(response.status)) {
      const error = errorOf(body);
      throw new HubError(
        response.status,
        error?.code ?? null,
        `hub answered ${method} ${path} with ${response.status}${error ? ` ${error.code}: ${error.message}` : ''}`,
      );
    }
    return { status: response.status, etag: response.headers.get('etag'), body };
  }
}

/** The hub's error body: `{ error: { code, message } }` (docs) or `{ code, message }` (its global filter). */
function errorOf(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as { error?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown };
  const inner = typeof record.error === 'object' && record.error !== null ? record.error : record;
  return typeof inner.code === 'string'
    ? { code: inner.code, message: typeof inner.message === 'string' ? inner.message : '' }
    : null;
}

/**
 * How far to move the signing clock after a 401: null unless the hub refused the signature for clock skew. The
 * hub's message names the skew in its own clock ("signature created 7200 s ago"); without it, its Date header.
 */
export function skewCorrectionMs(text: string, dateHeader: string | null, signedAtMs: number): number | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const error = errorOf(body);
  if (error?.code !== 'SIGNATURE_CLOCK_SKEW') return null;
  const named = /signature created (\d+) s (ago|in the future)/.exec(error.message);
  if (named) return (named[2] === 'ago' ? 1 : -1) * Number(named[1]) * 1000;
  const date = dateHeader === null ? NaN : Date.parse(dateHeader);
  return Number.isFinite(date) ? date - signedAtMs : null;
}
