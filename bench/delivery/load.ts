// HTTP load for the delivery benchmark: C concurrent clients, each fetching its K URLs one after another over a
// keep-alive connection, bodies counted and discarded; per-request time to first body byte.
import http from 'node:http';
import { readFileSync } from 'node:fs';

export interface LoadResult {
  requests: number;
  bytes: number;
  wallSeconds: number;
  ttfbMs: number[];
  failures: string[];
  /** Requests sent again after the connection was reset before any response (keep-alive close race). */
  retries: number;
}

/** User and system CPU seconds a process has used so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function cpuOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state(0) ppid(1) ... utime(11) stime(12).
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const { user, system } = cpuOf(pid);
  return user + system;
}

/** Pids whose parent is `pid` (nginx workers under their master). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function fetchOnce(
  agent: http.Agent,
  url: URL,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number; ttfbMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    const request = http.get(url, { agent, headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        if (bytes === 0) first = performance.now();
        bytes += chunk.length;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, bytes, ttfbMs: (first || performance.now()) - started }),
      );
      response.on('error', (error) => reject(Object.assign(error, { responded: true })));
    });
    request.on('error', reject);
  });
}

/** Runs `clients` concurrent clients; client c fetches urlFor(c, 0..perClient-1) in turn, signed by headersFor. */
export async function runLoad(options: {
  clients: number;
  perClient: number;
  urlFor: (client: number, k: number) => string;
  headersFor: (client: number, url: string) => Record<string, string>;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients, maxFreeSockets: options.clients });
  const result: LoadResult = { requests: 0, bytes: 0, wallSeconds: 0, ttfbMs: [], failures: [], retries: 0 };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, c) => {
      for (let k = 0; k < options.perClient; k++) {
        const url = options.urlFor(c, k);
        try {
          let answer;
          try {
            answer = await fetchOnce(agent, new URL(url), options.headersFor(c, url));
          } catch (error) {
            // A reused keep-alive socket the server closed while idle: send once more on a fresh one (new signature).
            if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET' || (error as { responded?: boolean }).responded)
              throw error;
            result.retries += 1;
            answer = await fetchOnce(agent, new URL(url), options.headersFor(c, url));
          }
          if (answer.status >= 300) result.failures.push(`${url}: HTTP ${answer.status}`);
          result.requests += 1;
          result.bytes += answer.bytes;
          result.ttfbMs.push(answer.ttfbMs);
        } catch (error) {
          const during = (error as { responded?: boolean }).responded ? 'during the body' : 'before a response';
          result.failures.push(`${url}: ${String(error)} ${during}`);
        }
      }
    }),
  );
  result.wallSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}
