import { UsageError } from '@roomtone/provisioning';

/**
 * The hub refused a request for a reason the installer can act on (code used, expired, locked...). A UsageError so
 * the CLI exits 2 with this one line; `code` is the hub's error code.
 */
export class HubRefusal extends UsageError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${message} [${code}]`);
    this.name = 'HubRefusal';
  }
}

/** A HubRefusal from a non-2xx response body (the hub's `{ code, message }`), or a generic one for other bodies. */
export function refusalFrom(status: number, text: string): HubRefusal {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new HubRefusal(status, body.code, `hub refused: ${body.message}`);
    }
  } catch {
    // Not the hub's JSON: a proxy or another server answered.
  }
  return new HubRefusal(
    status,
    `HTTP_${status}`,
    `hub answered HTTP ${status} (${text.slice(0, 120).replace(/\s+/g, ' ')}): check the hub URL`,
  );
}
