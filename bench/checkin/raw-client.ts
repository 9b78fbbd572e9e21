// A lean HTTP/1.1 load client for the check-in benchmark: keep-alive net sockets, requests serialised to bytes before
// the run, responses read with a minimal parser (status line, Content-Length, body skipped). node:http's client costs
// enough CPU per request that, at 1,000 requests/s on a 2-core machine, its own event-loop lag showed up as the
// hub's latency (bench/results/checkin.md); this one does almost nothing per request.
import net from 'node:net';

/** A request as the bytes that go on the wire. */
export function serialise(
  method: string,
  path: string,
  host: string,
  headers: Record<string, string>,
  body?: Buffer,
): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'host' && name.toLowerCase() !== 'content-length') head += `${name}: ${value}\r\n`;
  }
  head += `content-length: ${body?.length ?? 0}\r\n\r\n`;
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

interface Waiter {
  resolve(status: number): void;
  reject(error: Error): void;
}

/** One keep-alive connection with at most one request in flight. */
class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiter: Waiter | null = null;
  readonly socket: net.Socket;
  closed = false;

  constructor(port: number, onFree: (c: Connection) => void) {
    this.socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('data', (data: Buffer) => {
      this.buffered = this.buffered.length === 0 ? data : Buffer.concat([this.buffered, data]);
      this.parse(onFree);
    });
    const fail = (error: Error) => {
      this.closed = true;
      const waiter = this.waiter;
      this.waiter = null;
      waiter?.reject(error);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  send(bytes: Buffer, waiter: Waiter): void {
    this.waiter = waiter;
    this.socket.write(bytes);
  }

  private parse(onFree: (c: Connection) => void): void {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffered.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length === null) {
      this.waiter?.reject(new Error('response without Content-Length'));
      this.socket.destroy();
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.subarray(total);
    const waiter = this.waiter;
    this.waiter = null;
    onFree(this);
    waiter?.resolve(status);
  }
}

/** Connections opened as needed (never more than `max`), each reused once its answer has arrived. */
export class RawHttpPool {
  private readonly idle: Connection[] = [];
  private readonly all: Connection[] = [];
  private readonly waiting: { bytes: Buffer; waiter: Waiter }[] = [];

  constructor(
    private readonly port: number,
    private readonly max = 1024,
  ) {}

  /** Sends the request; resolves with the status once the whole response has been read. */
  request(bytes: Buffer): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const waiter = { resolve, reject };
      let connection = this.idle.pop();
      while (connection?.closed) connection = this.idle.pop();
      if (connection === undefined && this.all.length < this.max) {
        connection = new Connection(this.port, (c) => this.free(c));
        this.all.push(connection);
      }
      if (connection === undefined) this.waiting.push({ bytes, waiter });
      else connection.send(bytes, waiter);
    });
  }

  close(): void {
    for (const c of this.all) c.socket.destroy();
  }

  private free(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) connection.send(next.bytes, next.waiter);
    else this.idle.push(connection);
  }
}
