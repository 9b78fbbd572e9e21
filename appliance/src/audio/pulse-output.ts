import { PA_SAMPLE_FORMAT, PulseAudio, type PlaybackStream } from 'pulseaudio.js';
import { AudioError } from './errors';
import { CHANNELS, FRAME_BYTES, SAMPLE_RATE } from './format';
import { type AudioOutput } from './output';
import { TypedEmitter } from './typed-emitter';

/** How to reach PulseAudio and where to play. */
export interface PulseOutputOptions {
  /** Path of the server's native protocol socket (pulseaudio.js ignores PULSE_SERVER, so it must be given). */
  socketPath: string;
  /** Sink (output device) name; the server's default sink when omitted. */
  sink?: string;
  /** Client name shown by `pactl list clients`. */
  appName?: string;
  /**
   * Server-side buffer the stream asks for (default 500 ms): what covers a stall of the process (a busy CPU, a GC).
   * Volume changes and stops act after at most this much audio plus one player block.
   */
  latencyMs?: number;
  /** Waits between reconnection attempts after the server went away; the last one repeats. */
  reconnectDelaysMs?: number[];
  /** Longest a single connection attempt may take before it counts as failed. */
  connectTimeoutMs?: number;
}

/** What the adapter reports, for the daemon's logs and `status`. */
export type PulseOutputEvents = {
  connected: [{ attempt: number }];
  disconnected: [{ reason: string }];
  /** A reconnection attempt failed; another follows after a delay. */
  connectFailed: [{ attempt: number; reason: string }];
};

const DEFAULT_RECONNECT_DELAYS_MS = [50, 100, 200, 400, 800, 1000];

interface Connection {
  client: PulseAudio;
  stream: PlaybackStream;
  /** Settles (never rejects) with the reason once this connection is unusable. */
  lost: Promise<Error>;
}

/**
 * AudioOutput over PulseAudio's native protocol (pulseaudio.js). It owns one playback stream at a time and supervises
 * it: when the server dies, pulseaudio.js's write() throws and pending callbacks never fire, so the adapter treats any
 * client or stream error as "connection lost", drops that client, and reconnects with a new one, retrying the chunk
 * that was being written. Callers just see a slower write(); music resumes as soon as the server is back.
 */
export class PulseAudioOutput extends TypedEmitter<PulseOutputEvents> implements AudioOutput {
  private connection: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private everConnected = false;
  private closed = false;
  private readonly options: Required<Omit<PulseOutputOptions, 'sink'>> & { sink?: string };

  constructor(options: PulseOutputOptions) {
    super();
    this.options = {
      appName: 'roomtone-appliance',
      latencyMs: 500,
      reconnectDelaysMs: DEFAULT_RECONNECT_DELAYS_MS,
      connectTimeoutMs: 3000,
      ...options,
    };
  }

  /**
   * Connects and creates the playback stream. Fails with OUTPUT_UNREACHABLE or SINK_NOT_FOUND so a misconfigured
   * appliance says so at start-up; once it has connected, later losses are retried forever instead.
   */
  async open(): Promise<void> {
    await this.ensureConnection();
  }

  /** Writes one chunk of whole s16le stereo frames, waiting (and reconnecting) as long as it takes. */
  async write(chunk: Buffer): Promise<void> {
    if (chunk.length % FRAME_BYTES !== 0) {
      throw new AudioError(
        'INVALID_ARGUMENT',
        `PCM chunks must hold whole frames of ${FRAME_BYTES} bytes (got ${chunk.length})`,
      );
    }
    for (;;) {
      const connection = await this.ensureConnection();
      const outcome = await Promise.race([writeChunk(connection.stream, chunk), connection.lost]);
      if (outcome === undefined) return;
      this.drop(connection, outcome);
    }
  }

  /** Plays out what is buffered (unless `discard`), then deletes the stream and disconnects. Idempotent. */
  async close(options: { discard?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const connection = this.connection;
    this.connection = undefined;
    if (!connection) return;
    if (!options.discard) {
      // end() runs pulseaudio.js's _final: a DRAIN command answered once the buffer has played.
      await Promise.race([
        new Promise<void>((resolve) => connection.stream.end(() => resolve())),
        connection.lost.then(() => undefined),
      ]);
    } else {
      connection.stream.destroy();
    }
    await Promise.race([connection.client.disconnect().catch(() => undefined), connection.lost]);
  }

  private ensureConnection(): Promise<Connection> {
    if (this.closed)
      return Promise.reject(new AudioError('OUTPUT_CLOSED', 'the audio output was closed; open a new one'));
    if (this.connection) return Promise.resolve(this.connection);
    this.connecting ??= this.connectWithRetry().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connectWithRetry(): Promise<Connection> {
    const delays = this.options.reconnectDelaysMs;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new AudioError('OUTPUT_CLOSED', 'the audio output was closed; open a new one');
      try {
        const connection = await this.connectOnce();
        if (this.closed) {
          connection.stream.destroy();
          await connection.client.disconnect().catch(() => undefined);
          throw new AudioError('OUTPUT_CLOSED', 'the audio output was closed; open a new one');
        }
        this.connection = connection;
        this.everConnected = true;
        void connection.lost.then((reason) => this.drop(connection, reason));
        this.emit('connected', { attempt });
        return connection;
      } catch (error) {
        if (!this.everConnected || this.closed) throw error;
        this.emit('connectFailed', { attempt, reason: error instanceof Error ? error.message : String(error) });
      }
      await new Promise((resolve) => setTimeout(resolve, delays[Math.min(attempt - 1, delays.length - 1)]));
    }
  }

  private async connectOnce(): Promise<Connection> {
    const { socketPath, sink, appName, latencyMs, connectTimeoutMs } = this.options;
    const client = new PulseAudio(appName, undefined, socketPath);
    let markLost: (reason: Error) => void = () => undefined;
    const lost = new Promise<Error>((resolve) => {
      markLost = resolve;
    });
    // pulseaudio.js emits 'error' for a refused connection and when the server goes away; unhandled, it would crash
    // the process. The listener stays for the client's lifetime, so late errors of a dropped client are swallowed too.
    client.on('error', (error: Error) => markLost(error));
    try {
      await withTimeout(client.connect(), connectTimeoutMs, 'connecting');
      if (sink !== undefined) {
        const sinks = (await withTimeout(client.getAllSinks(), connectTimeoutMs, 'listing sinks')) as {
          name: string;
        }[];
        if (!sinks.some((s) => s.name === sink)) {
          throw new AudioError(
            'SINK_NOT_FOUND',
            `PulseAudio has no sink named '${sink}' (it has: ${sinks.map((s) => s.name).join(', ') || 'none'}); fix the configured output device`,
          );
        }
      }
      const bytesPerMs = (SAMPLE_RATE * FRAME_BYTES) / 1000;
      const frameAligned = (ms: number) => Math.round((bytesPerMs * ms) / FRAME_BYTES) * FRAME_BYTES;
      const stream = await withTimeout(
        client.createPlaybackStream({
          sampleSpec: { format: PA_SAMPLE_FORMAT.S16LE, channels: CHANNELS, rate: SAMPLE_RATE },
          name: sink ?? null,
          targetLength: frameAligned(latencyMs),
          // Left to the server, requests come every few ms and each costs a socket write in JS; asking for 40% of
          // the buffer at a time halved the player's CPU (bench/appliance: ~4% -> ~2% of a core) while keeping
          // 60% of it queued against underruns.
          minimumRequest: frameAligned(latencyMs * 0.4),
        }),
        connectTimeoutMs,
        'creating the playback stream',
      );
      // pulseaudio.js reads the buffer attribute maxlength as a limit on the stream's total bytes (4 GiB, ~6.8 h);
      // PulseAudio has no such limit, and an appliance plays for weeks on one stream.
      (stream as unknown as { left: number | null }).left = null;
      stream.on('error', (error: Error) => markLost(error));
      stream.on('close', () => markLost(new Error('playback stream closed')));
      return { client, stream, lost };
    } catch (error) {
      markLost(error instanceof Error ? error : new Error(String(error)));
      await Promise.race([client.disconnect().catch(() => undefined), delay(100)]);
      if (error instanceof AudioError) throw error;
      throw new AudioError(
        'OUTPUT_UNREACHABLE',
        `cannot play through PulseAudio at ${socketPath}: ${error instanceof Error ? error.message : String(error)}; check that the sound server runs and the socket path is right`,
      );
    }
  }

  private drop(connection: Connection, reason: Error): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.emit('disconnected', { reason: reason.message });
    try {
      connection.stream.destroy();
    } catch {
      // The dead client's socket is gone; nothing to clean up on the server side.
    }
  }
}

/** Resolves undefined once the stream has accepted the chunk, or with the error that stopped it. */
function writeChunk(stream: PlaybackStream, chunk: Buffer): Promise<Error | undefined> {
  return new Promise((resolve) => {
    try {
      stream.write(chunk, (error?: Error | null) => resolve(error ?? undefined));
    } catch (error) {
      // After the server died pulseaudio.js throws a TypeError from inside write().
      resolve(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
