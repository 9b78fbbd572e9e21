// HTTP load for the delivery benchmark: C concurrent clients, each fetching its K URLs one after another over a
// keep-alive connection, bodies counted and discarded; per-request time to first body byte.
import net from 'node:net';
import { readFileSync } from 'node:fs';

export interface LoadResult {
  requests: number;
  bytes: number;
  wallSeconds: number;
  ttfbMs: number[];
  /** The same, of each client's first request only (all clients start at once: the thundering herd)... */
  firstTtfbMs: number[];
  /** ...and of the others (steady state: each client asks for its next track as soon as the last one is in). */
  laterTtfbMs: number[];
  failures: string[];
  /** Requests sent again after the connection was reset before any response (keep-alive close race). */
  retries: number;
  /** CPU seconds (user + system) of this process, the client, during the load. */
  clientCpuSeconds: number;
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

/** One response as the client saw it. */
interface Answer {
  status: number;
  bytes: number;
  ttfbMs: number;
}

/**
 * A keep-alive HTTP/1.1 connection with a minimal response reader (status line, Content-Length, body counted and
 * discarded), reading into one fixed buffer (`onread`): the client must cost far less per byte than the servers it
 * measures, or its own event-loop lag shows up as their time to first byte (node:http's client, at ~1 core for 300 MB/s
 * on this machine, did). Only what the hub and nginx send here is supported: no chunked bodies, no pipelining.
 */
class Connection {
  private socket: net.Socket | null = null;
  private readonly buffer = Buffer.allocUnsafe(256 * 1024);
  private pending: {
    socket: net.Socket;
    started: number;
    head: Buffer[];
    headLength: number;
    status: number;
    remaining: number;
    bytes: number;
    first: number;
    resolve: (answer: Answer) => void;
    reject: (error: Error) => void;
  } | null = null;

  constructor(private readonly url: URL) {}

  private open(): net.Socket {
    const socket = net.connect({
      host: this.url.hostname,
      port: Number(this.url.port),
      noDelay: true,
      onread: {
        buffer: this.buffer,
        callback: (n: number, buf: Uint8Array) => {
          this.onData(buf as Buffer, n);
          return true;
        },
      },
    });
    const fail = (error: Error) => {
      if (this.socket === socket) this.socket = null;
      const pending = this.pending;
      if (pending?.socket !== socket) return;
      this.pending = null;
      pending.reject(Object.assign(error, { responded: pending.status !== 0 }));
    };
    socket.on('error', fail);
    socket.on('close', () => fail(Object.assign(new Error('socket closed'), { code: 'ECONNRESET' })));
    this.socket = socket;
    return socket;
  }

  get(pathAndQuery: string, headers: Record<string, string>): Promise<Answer> {
    const socket = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.pending = {
        socket,
        started: performance.now(),
        head: [],
        headLength: 0,
        status: 0,
        remaining: 0,
        bytes: 0,
        first: 0,
        resolve,
        reject,
      };
      let text = `GET ${pathAndQuery} HTTP/1.1\r\nhost: ${this.url.host}\r\nconnection: keep-alive\r\n`;
      for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
      socket.write(text + '\r\n');
    });
  }

  private onData(buf: Buffer, n: number): void {
    const p = this.pending;
    if (p === null) return;
    let at = 0;
    if (p.status === 0) {
      p.head.push(Buffer.from(buf.subarray(0, n)));
      p.headLength += n;
      const head = Buffer.concat(p.head, p.headLength);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      p.status = Number(lines[0].split(' ')[1]);
      const length = lines.find((line) => /^content-length:/i.test(line));
      p.remaining = length ? Number(length.slice(length.indexOf(':') + 1).trim()) : 0;
      at = n - (p.headLength - (end + 4));
      p.head = [];
    }
    const body = Math.min(n - at, p.remaining);
    if (body > 0 && p.bytes === 0) p.first = performance.now();
    p.bytes += body;
    p.remaining -= body;
    if (p.remaining === 0) {
      this.pending = null;
      p.resolve({ status: p.status, bytes: p.bytes, ttfbMs: (p.first || performance.now()) - p.started });
    }
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}

/** Runs `clients` concurrent clients; client c fetches urlFor(c, 0..perClient-1) in turn, signed by headersFor. */
export async function runLoad(options: {
  clients: number;
  perClient: number;
  urlFor: (client: number, k: number) => string;
  headersFor: (client: number, url: string) => Record<string, string>;
}): Promise<LoadResult> {
  const result: LoadResult = {
    requests: 0,
    bytes: 0,
    wallSeconds: 0,
    ttfbMs: [],
    firstTtfbMs: [],
    laterTtfbMs: [],
    failures: [],
    retries: 0,
    clientCpuSeconds: 0,
  };
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, c) => {
      const connection = new Connection(new URL(options.urlFor(c, 0)));
      try {
        for (let k = 0; k < options.perClient; k++) {
          const url = options.urlFor(c, k);
          const target = new URL(url);
          const path = target.pathname + target.search;
          try {
            let answer;
            try {
              answer = await connection.get(path, options.headersFor(c, url));
            } catch (error) {
              // A reused keep-alive socket the server closed while idle: send once more on a fresh one (new signature).
              if (
                (error as NodeJS.ErrnoException).code !== 'ECONNRESET' ||
                (error as { responded?: boolean }).responded
              )
                throw error;
              result.retries += 1;
              answer = await connection.get(path, options.headersFor(c, url));
            }
            if (answer.status >= 300) result.failures.push(`${url}: HTTP ${answer.status}`);
            result.requests += 1;
            result.bytes += answer.bytes;
            result.ttfbMs.push(answer.ttfbMs);
            (k === 0 ? result.firstTtfbMs : result.laterTtfbMs).push(answer.ttfbMs);
          } catch (error) {
            const during = (error as { responded?: boolean }).responded ? 'during the body' : 'before a response';
            result.failures.push(`${url}: ${String(error)} ${during}`);
          }
        }
      } finally {
        connection.close();
      }
    }),
  );
  result.wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  result.clientCpuSeconds = (cpu.user + cpu.system) / 1e6;
  return result;
}
