import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/*
 * How the end-to-end suites talk to a running hub (test/support/hub-process.ts) over real HTTP: sign in as a user,
 * JSON calls with that session, and the built CLIs run as real processes. One definition for every e2e suite.
 */

const ROOT = resolve(__dirname, '../..');
/** The built appliance CLI (run `npm run build` first). */
export const APPLIANCE_CLI = join(ROOT, 'appliance/bin/roomtone-appliance.js');
/** The built provisioning CLI (run `npm run build` first). */
export const PROVISION_CLI = join(ROOT, 'provisioning/bin/roomtone-provision.js');

/** A signed-in user's request headers: the session cookie and the CSRF token (both sent on every call). */
export type SessionHeaders = Record<string, string>;

/** A hub's answer: the HTTP status and the parsed JSON body (`{}` when the body is empty). */
export interface JsonAnswer<T> {
  status: number;
  body: T;
}

/** One request with an optional JSON body; the status, response headers and raw text of the answer. */
async function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; headers: Headers; text: string }> {
  const once = () =>
    fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  // A GET may meet a kept-alive socket the hub closed at that moment ("other side closed"): it is safe to send again.
  const response = await once().catch((error: unknown) => {
    if (method === 'GET') return once();
    throw error;
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function parse(method: string, path: string, status: number, text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${method} ${path} answered ${status} with a body that is not JSON: ${text.slice(0, 500)}`);
  }
}

/** `method path` with `headers` (a session) and an optional JSON body; the status and the parsed body, whatever the status. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  headers: SessionHeaders,
  body?: unknown,
): Promise<JsonAnswer<T>> {
  const answer = await send(base, method, path, headers, body);
  return { status: answer.status, body: parse(method, path, answer.status, answer.text) as T };
}

/** Like `call`, but the parsed body only: throws naming method, path, status and body unless the status is `expected`. */
export async function callOk<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  headers: SessionHeaders,
  expected: number,
  body?: unknown,
): Promise<T> {
  const answer = await send(base, method, path, headers, body);
  if (answer.status !== expected) {
    throw new Error(
      `${method} ${path} answered ${answer.status} (expected ${expected}): ${answer.text.slice(0, 1000)}`,
    );
  }
  return parse(method, path, answer.status, answer.text) as T;
}

/** Signs `email` in (POST /auth/login); throws naming the user, status and body unless the hub answers 200. */
export async function signIn(base: string, email: string, password: string): Promise<SessionHeaders> {
  const answer = await send(base, 'POST', '/auth/login', {}, { email, password });
  if (answer.status !== 200) {
    throw new Error(
      `POST /auth/login as ${email} answered ${answer.status} (expected 200): ${answer.text.slice(0, 1000)}`,
    );
  }
  const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = parse('POST', '/auth/login', answer.status, answer.text) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

/** What a CLI run printed and how it exited (`code` null: killed by a signal). */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built CLI (`APPLIANCE_CLI`, `PROVISION_CLI`) once as a real process with PATH, HOME and `env` only. */
export function runCli(cli: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
