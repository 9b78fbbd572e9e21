import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  encryptStream,
  enrolledKeystore,
  createKeystore,
  HubSigningKey,
  signDocument,
  splitPlan,
  TrackEncryptor,
  type JsonValue,
  type Keystore,
  type PlanIntervalDoc,
  type PlanPayload,
  type PlanProgrammeDoc,
  type PlanTrackDoc,
  type PlayBatch,
  type PlayRecord,
  type Sodium,
} from '@roomtone/provisioning';

/** A track the fake hub serves: plaintext and its encryption for the fake's appliance. */
export interface FakeTrack {
  id: string;
  plain: Buffer;
  encrypted: Buffer;
  etag: string;
  doc: PlanTrackDoc;
}

/**
 * A small HTTP server that speaks the appliance API contract (docs/appliance-api.md) for unit tests of sync and the
 * cache: signed hub time, plan (format 2 envelope and its bodies) and licence documents, encrypted tracks with
 * Range/If-Range, previews, play batches.
 * It does not check request signatures (the real hub's integration tests do).
 */
export class FakeHub {
  readonly hubKey: HubSigningKey;
  readonly keystore: Keystore;
  readonly tracks = new Map<string, FakeTrack>();
  readonly requests: { method: string; path: string; headers: IncomingMessage['headers'] }[] = [];
  readonly stored = new Map<string, PlayRecord>();
  /** The plan as the appliance should assemble it; served as a format 2 envelope and bodies. */
  plan: PlanPayload | null = null;
  planEtag = '"plan-1"';
  /** Serve the envelope with this format version instead of 2 (negative tests). */
  formatVersion: number | null = null;
  /** Flip one byte of this body kind when serving it (negative tests). */
  tamperBody: 'timeline' | 'catalogue' | null = null;
  licenceEtag: string | null = '"lic-1"';
  timeMs = Date.UTC(2026, 2, 29, 0, 0, 0);
  /** Answer the next N requests with this status (outage simulation). */
  failNext = 0;
  failStatus = 503;
  /** Cut the next track body after this many bytes (connection dropped). */
  cutAfter: number | null = null;
  /** Flip one byte at this offset of served track bodies. */
  corruptAt: number | null = null;
  /** Sign documents for another appliance (negative tests). */
  timeApplianceId: string | null = null;
  bytesServed = 0;
  private server: Server | undefined;
  url = '';

  constructor(private readonly sodium: Sodium) {
    const seed = sodium.randomBytes(32);
    const pair = sodium.signSeedKeypair(seed);
    this.hubKey = new HubSigningKey(sodium, pair.publicKey, pair.secretKey);
    const fresh = createKeystore(sodium, new Date(this.timeMs));
    this.keystore = enrolledKeystore(fresh, {
      applianceId: randomUUID(),
      hubUrl: 'http://127.0.0.1:1',
      hubPublicKey: pair.publicKey,
    });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.keystore.hubUrl = this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Adds a track encrypted for this fake's appliance (or for `recipient` to test "not for this appliance"). */
  async addTrack(size: number, neededFrom: string, recipient?: Uint8Array): Promise<FakeTrack> {
    const id = randomUUID();
    const plain = Buffer.from(this.sodium.randomBytes(size));
    const sha = createHash('sha256').update(plain).digest();
    const encryptor = new TrackEncryptor(this.sodium, {
      hubSecret: new Uint8Array(32).fill(7),
      recipientPublicKey: recipient ?? this.keystore.keys.encryption.publicKey,
      applianceId: this.keystore.applianceId!,
      trackId: id,
      renditionVersion: 1,
      plaintextLength: plain.length,
      plaintextSha256: sha,
      chunkSize: 16_384,
    });
    const parts: Uint8Array[] = [];
    for await (const p of encryptStream(encryptor, [plain])) parts.push(p);
    const encrypted = Buffer.concat(parts);
    const doc: PlanTrackDoc = {
      id,
      title: `t-${id.slice(0, 4)}`,
      artist: null,
      album: null,
      label: null,
      isrc: null,
      durationMs: 180_000,
      loudnessLufs: null,
      truePeakDbtp: null,
      cueInMs: null,
      cueOutMs: null,
      explicit: false,
      downloadBytes: encrypted.length,
      sha256: sha.toString('hex'),
      previewBytes: 1000,
      neededFrom,
    };
    const track = { id, plain, encrypted, etag: `"${id}-v1"`, doc };
    this.tracks.set(id, track);
    return track;
  }

  /**
   * Sets the plan to one with these tracks: one programme per distinct `neededFrom`, with an hour's interval starting
   * then, so the appliance's assembly derives each track's `neededFrom` back.
   */
  setPlan(tracks: PlanTrackDoc[], zoneId = 'zone-1'): PlanPayload {
    const starts = [...new Set(tracks.map((t) => t.neededFrom))].sort();
    const programmes: PlanProgrammeDoc[] = starts.map((start, k) => ({
      id: `programme-${k}`,
      name: `Programme ${k}`,
      version: 1,
      order: 'ordered',
      repeatWindowMinutes: 0,
      artistSeparationMinutes: 0,
      crossfadeMs: 0,
      trackIds: tracks.filter((t) => t.neededFrom === start).map((t) => t.id),
    }));
    const intervals: PlanIntervalDoc[] = starts.map((start, k) => ({
      start,
      end: new Date(Math.min(Date.parse(start) + 3_600_000, Date.parse(starts[k + 1] ?? '9999-01-01'))).toISOString(),
      programmeId: `programme-${k}`,
      volume: 50,
      startMode: 'hard',
      maxLatenessSeconds: null,
      blockId: `block-${k}`,
      rule: 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY',
      ruleKind: 'rrule',
      occurrence: start.slice(0, 16),
      priority: 0,
      source: 'scheduled',
    }));
    const ordered = starts.flatMap((start) => tracks.filter((t) => t.neededFrom === start));
    this.plan = {
      type: 'roomtone.plan',
      formatVersion: 1,
      planId: randomUUID(),
      zoneId,
      venueId: 'venue-1',
      timeZone: 'Europe/Berlin',
      tzdbVersion: '2025b',
      scheduleVersion: 1,
      compiledAt: new Date(this.timeMs).toISOString(),
      from: new Date(this.timeMs).toISOString(),
      until: new Date(this.timeMs + 14 * 86_400_000).toISOString(),
      licence: null,
      intervals,
      programmes,
      tracks: ordered,
    };
    this.planEtag = `"${this.plan.planId}"`;
    return this.plan;
  }

  /** The served envelope and body texts of the current plan. */
  split(): ReturnType<typeof splitPlan> {
    const out = splitPlan(this.plan!);
    if (this.formatVersion !== null) (out.envelope as { formatVersion: number }).formatVersion = this.formatVersion;
    return out;
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.requests.push({ method: req.method ?? '', path, headers: req.headers });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.failNext > 0) {
      this.failNext--;
      this.send(res, this.failStatus, { error: { code: 'UNAVAILABLE', message: 'down' } });
      return;
    }
    const applianceId = this.keystore.applianceId!;
    if (req.method === 'POST' && path === '/appliance/v1/checkin') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        planId: string | null;
        licenceEtag: string | null;
      };
      const time = signDocument(this.hubKey, {
        type: 'roomtone.hub-time',
        applianceId: this.timeApplianceId ?? applianceId,
        time: new Date(this.timeMs).toISOString(),
      });
      this.send(res, 200, {
        time,
        plan: {
          id: this.plan?.planId ?? null,
          etag: this.plan ? this.planEtag : null,
          changed: body.planId !== (this.plan?.planId ?? null),
        },
        licence: { etag: this.licenceEtag, changed: body.licenceEtag !== this.licenceEtag },
        checkinIntervalSeconds: 60,
        playsStoredThrough: this.storedThrough(),
      });
      return;
    }
    if (req.method === 'GET' && path === '/appliance/v1/plan') {
      if (!this.plan) return this.send(res, 404, { error: { code: 'NO_PLAN', message: 'no plan' } });
      if (req.headers['if-none-match'] === this.planEtag) {
        res.writeHead(304, { etag: this.planEtag });
        res.end();
        return;
      }
      this.send(res, 200, signDocument(this.hubKey, this.split().envelope as unknown as JsonValue), {
        etag: this.planEtag,
      });
      return;
    }
    const bodyMatch = /^\/appliance\/v1\/plan-bodies\/([0-9a-f]{64})$/.exec(path);
    if (req.method === 'GET' && bodyMatch) {
      const { envelope, bodies } = this.plan ? this.split() : { envelope: null, bodies: null };
      const kind =
        envelope?.timeline.sha256 === bodyMatch[1]
          ? 'timeline'
          : envelope?.catalogue.sha256 === bodyMatch[1]
            ? 'catalogue'
            : null;
      if (kind === null || bodies === null) {
        return this.send(res, 404, { error: { code: 'PLAN_BODY_NOT_FOUND', message: 'no such body' } });
      }
      const bytes = Buffer.from(bodies[kind], 'utf8');
      if (this.tamperBody === kind) bytes[bytes.length >> 1] ^= 0x01;
      res.writeHead(200, { 'content-type': 'application/json', etag: `"${bodyMatch[1]}"` });
      res.end(bytes);
      return;
    }
    if (req.method === 'GET' && path === '/appliance/v1/licence') {
      if (!this.licenceEtag) return this.send(res, 404, { error: { code: 'NO_LICENCE', message: 'none' } });
      const payload = {
        type: 'roomtone.licence',
        applianceId,
        zoneId: 'zone-1',
        terms: {
          licenceId: 'lic',
          version: 1,
          venueId: 'venue-1',
          tier: 'full',
          validFrom: '2026-01-01T00:00:00.000Z',
          validUntil: '2027-01-01T00:00:00.000Z',
          leaseDays: 7,
        },
      };
      this.send(res, 200, signDocument(this.hubKey, payload), { etag: this.licenceEtag });
      return;
    }
    const m = /^\/appliance\/v1\/tracks\/([^/]+)(\/preview)?$/.exec(path);
    if (req.method === 'GET' && m) {
      const track = this.tracks.get(m[1]);
      if (!track) return this.send(res, 403, { error: { code: 'NOT_IN_PLAN', message: 'not in plan' } });
      const body = m[2] ? track.plain : Buffer.from(track.encrypted);
      if (this.corruptAt !== null && !m[2]) body[this.corruptAt] ^= 0x01;
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const ifRange = req.headers['if-range'];
      let start = 0;
      let status = 200;
      const headers: Record<string, string> = {
        etag: track.etag,
        'accept-ranges': 'bytes',
        'content-type': 'application/octet-stream',
      };
      if (range && (ifRange === undefined || ifRange === track.etag)) {
        start = Number(range[1]);
        status = 206;
        headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
      }
      const slice = body.subarray(start);
      headers['content-length'] = String(slice.length);
      res.writeHead(status, headers);
      if (this.cutAfter !== null) {
        const cut = this.cutAfter;
        this.cutAfter = null;
        this.bytesServed += cut;
        // Drop the connection a second later: a stream destroyed with an error discards chunks its reader has not taken
        // yet, so the client gets that long to consume what was sent (a loaded machine can stall it for a while).
        res.write(slice.subarray(0, cut), () => setTimeout(() => res.destroy(), 1_000));
        return;
      }
      this.bytesServed += slice.length;
      res.end(slice);
      return;
    }
    if (req.method === 'POST' && path === '/appliance/v1/plays') {
      const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PlayBatch;
      let accepted = 0;
      let duplicates = 0;
      for (const p of batch.plays) {
        if (this.stored.has(p.playId)) duplicates++;
        else {
          this.stored.set(p.playId, p);
          accepted++;
        }
      }
      this.send(res, 200, { accepted, duplicates, flagged: [], gaps: [], storedThrough: this.storedThrough() });
      return;
    }
    this.send(res, 404, { error: { code: 'NOT_FOUND', message: path } });
  }

  /** Highest sequence stored with every lower one. */
  storedThrough(): number {
    const seqs = new Set([...this.stored.values()].map((p) => p.sequence));
    let n = 0;
    while (seqs.has(n + 1)) n++;
    return n;
  }
}
