import { signRequest, type Clock, type Keystore, type Sodium } from '@roomtone/provisioning';

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
 * downloads stream. Every request times out (30 s to the headers; bodies are bounded by the caller's signal).
 */
export class HubClient {
  constructor(
    private readonly keystore: Keystore,
    private readonly deps: { sodium: Sodium; clock: Clock; fetch?: typeof fetch; timeoutMs?: number },
  ) {
    if (keystore.applianceId === null || keystore.hubUrl === null || keystore.hubPublicKey === null) {
      throw new Error('this keystore is not enrolled: run roomtone-appliance enroll first');
    }
  }

  get applianceId(): string {
    return this.keystore.applianceId!;
  }

  get hubPublicKey(): Uint8Array {
    return this.keystore.hubPublicKey!;
  }

  /** Sends a signed request; `json` is sent as the body (its Content-Digest is signed). */
  async request(
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), `${this.keystore.hubUrl}/`).toString();
    const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json), 'utf8');
    const signature = signRequest(
      { method, url, body },
      {
        sodium: this.deps.sodium,
        keyId: this.keystore.applianceId!,
        secretKey: this.keystore.keys.signing.secretKey,
        clock: this.deps.clock,
      },
    );
    const headers: Record<string, string> = { ...options.headers, ...signature };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.deps.timeoutMs ?? 30_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return await (this.deps.fetch ?? fetch)(url, { method, headers, body, signal });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
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
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new HubError(
        response.status,
        error?.code ?? null,
        `hub answered ${method} ${path} with ${response.status}${error ? ` ${error.code}: ${error.message}` : ''}`,
      );
    }
    return { status: response.status, etag: response.headers.get('etag'), body };
  }
}
