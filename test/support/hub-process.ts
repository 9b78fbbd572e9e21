import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const MAIN = path.resolve(__dirname, '../../hub/dist/main.js');

/** A built hub running as a child process (run `npm run build` first). */
export interface HubProcess {
  child: ChildProcess;
  /** The port it listens on (PORT=0 picks a free one; read from the "hub listening" log line). */
  port: number;
  baseUrl: string;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/** Parsed JSON log lines of a hub process (non-JSON lines are skipped). */
export function logRecords(hub: Pick<HubProcess, 'stdout'>): Record<string, unknown>[] {
  return hub.stdout.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

function collectLines(stream: NodeJS.ReadableStream, into: string[], onLine?: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      into.push(line);
      onLine?.(line);
    }
  });
  stream.on('end', () => {
    if (buffer) into.push(buffer);
  });
}

/** Starts `node hub/dist/main.js` with `env` (on top of PATH/HOME only) and returns without waiting for readiness. */
export function spawnHub(env: Record<string, string>): Omit<HubProcess, 'port' | 'baseUrl'> & {
  listening: Promise<number>;
} {
  // BENCH_HUB_NODE_ARGS: extra node options for the hub, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (benchmarks).
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const listening = new Promise<number>((resolve, reject) => {
    collectLines(child.stdout, stdout, (line) => {
      const match = /"msg":"hub listening","url":"http:\/\/localhost:(\d+)"/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    collectLines(child.stderr, stderr);
    void exited.then((code) =>
      reject(new Error(`hub exited (${code}) before listening:\n${stderr.join('\n')}\n${stdout.join('\n')}`)),
    );
  });
  return { child, stdout, stderr, exited, listening };
}

/** Starts a built hub and waits until it listens. */
export async function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  const started = spawnHub(env);
  const port = await started.listening;
  return { ...started, port, baseUrl: `http://127.0.0.1:${port}` };
}

/** Sends SIGTERM and waits for the exit code. */
export async function stopHubProcess(hub: Pick<HubProcess, 'child' | 'exited'>): Promise<number | string> {
  if (hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGTERM');
  return hub.exited;
}

/** Resolves with the first log record matching `predicate`, waiting for it to be written (rejects after timeoutMs). */
export function waitForLog(
  hub: Pick<HubProcess, 'stdout'>,
  predicate: (record: Record<string, unknown>) => boolean,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const found = logRecords(hub).find(predicate);
      if (found) return resolve(found);
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out waiting for a log record'));
      setTimeout(tick, 20);
    };
    tick();
  });
}
