import { statfs } from 'node:fs/promises';
import {
  assemblePlan,
  PLAN_FORMAT_VERSION,
  verifyDocument,
  type PlanBodyRef,
  type PlanCatalogueBody,
  type PlanEnvelope,
  type PlanTimelineBody,
  type CheckinRequest,
  type CheckinResponse,
  type HubTimePayload,
  type LicencePayload,
  type PlanPayload,
  type PlanTrackDoc,
  type SignedDocument,
  type Sodium,
} from '@roomtone/provisioning';
import type { TrackCache } from '../cache/track-cache';
import type { HubLinkPort } from '../daemon/ports';
import type { SqlitePlayLog } from '../playlog/play-log';
import type { MonotonicClock, WallClock } from '../time';
import { HubError, type HubClient } from './hub-client';
import type { SyncLogger } from './logger';
import { checkBody, PlanBodyStore } from './plan-bodies';
import { prefetch, type PrefetchRound } from './prefetcher';
import { StateStore, type SyncState } from './state-store';
import { backoffMs, jitteredIntervalMs, realScheduler, type Scheduler } from './timers';
import { PlayUploader } from './uploader';

/** What the daemon tells the hub about playback at each check-in (the rest sync fills in). */
export interface CheckinStatus {
  state: CheckinRequest['state'];
  nowPlaying: CheckinRequest['nowPlaying'];
  /** Playback's own recent errors, most recent first. */
  errors?: { at: string; message: string }[];
}

export interface SyncDeps {
  dataDir: string;
  client: HubClient;
  sodium: Sodium;
  cache: TrackCache;
  log: SqlitePlayLog;
  /** Playback's state for the check-in; settable later with setStatusProvider (the daemon is built after sync). */
  statusProvider?: () => CheckinStatus;
  softwareVersion: string;
  wall: WallClock;
  monotonic: MonotonicClock;
  scheduler?: Scheduler;
  random?: () => number;
  logger?: SyncLogger;
  /** Downloads at a time (1 or 2; default 2). */
  downloadConcurrency?: number;
}

/** What `status` and the logs show about sync. */
export interface SyncStatus {
  online: boolean;
  lastCheckinAt: string | null;
  lastCheckinError: string | null;
  consecutiveFailures: number;
  nextCheckinInMs: number | null;
  planId: string | null;
  planUntil: string | null;
  downloads: { trackId: string; bytes: number; total: number }[];
  lastPrefetch: PrefetchRound | null;
  errors: { at: string; message: string }[];
}

const STATE_FILE = 'sync-state.json';
const BODIES_DIR = 'plan-bodies';
const DEFAULT_INTERVAL_SECONDS = 60;
const MAX_ERRORS = 20;

/**
 * The appliance's link to its hub: check-in on the hub's interval (+-20% jitter), exponential backoff with jitter on
 * failure (5 s doubling, cap 5 min); verifies the signed hub time, plan and licence against the pinned hub key;
 * keeps the last good documents in `<data dir>/sync-state.json` (the plan's bodies in `<data dir>/plan-bodies/`);
 * uploads plays; prefetches the plan's tracks.
 */
export class SyncService implements HubLinkPort {
  private state: SyncState;
  private readonly store: StateStore;
  private readonly bodies: PlanBodyStore;
  /** The plan assembled from the stored envelope and its bodies (what playback reads). */
  private assembled: PlanPayload | null = null;
  private readonly uploader: PlayUploader;
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private readonly logger: SyncLogger;
  private hubTimeSample: { hubTimeMs: number; monotonicMs: number } | null = null;
  private lastSuccessMono: number | null = null;
  private lastCheckinAt: string | null = null;
  private lastCheckinError: string | null = null;
  private failures = 0;
  private intervalSeconds = DEFAULT_INTERVAL_SECONDS;
  private timer: unknown = null;
  private nextAtMono: number | null = null;
  private running = false;
  private cycle: Promise<void> | null = null;
  private prefetching: Promise<PrefetchRound> | null = null;
  private lastPrefetch: PrefetchRound | null = null;
  private abort = new AbortController();
  private readonly startedMono: number;
  private readonly errors: { at: string; message: string }[] = [];
  private statusProvider: () => CheckinStatus;
  /** track() is called for every pick: an index of the current plan's tracks, rebuilt when the plan changes. */
  private trackIndex: { planId: string; byId: Map<string, PlanTrackDoc> } | null = null;

  constructor(private readonly deps: SyncDeps) {
    this.store = new StateStore(`${deps.dataDir}/${STATE_FILE}`);
    this.bodies = new PlanBodyStore(`${deps.dataDir}/${BODIES_DIR}`);
    this.scheduler = deps.scheduler ?? realScheduler;
    this.random = deps.random ?? Math.random;
    this.logger = deps.logger ?? (() => undefined);
    this.uploader = new PlayUploader(deps.log, deps.client, this.logger);
    this.startedMono = deps.monotonic.nowMs();
    this.statusProvider = deps.statusProvider ?? (() => ({ state: 'starting', nowPlaying: null }));
    this.state = this.loadVerified();
    const plan = this.plan();
    if (plan) deps.cache.setWanted(plan.tracks);
  }

  // HubLinkPort

  plan(): PlanPayload | null {
    return this.assembled;
  }

  licence(): LicencePayload | null {
    return (this.state.licence?.payload as LicencePayload | undefined) ?? null;
  }

  lastHubTime(): { hubTimeMs: number; monotonicMs: number } | null {
    return this.hubTimeSample;
  }

  online(): boolean {
    if (this.lastSuccessMono === null) return false;
    // Within the interval plus its jitter and one request timeout.
    return this.deps.monotonic.nowMs() - this.lastSuccessMono <= this.intervalSeconds * 1200 + 30_000;
  }

  async *openPreview(trackId: string): AsyncGenerator<Uint8Array> {
    const response = await this.deps.client.request(
      'GET',
      `/appliance/v1/tracks/${encodeURIComponent(trackId)}/preview`,
      {
        signal: this.abort.signal,
      },
    );
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new HubError(
        response.status,
        null,
        `preview of ${trackId} refused: ${response.status} ${text.slice(0, 300)}`,
      );
    }
    if (!response.body) return;
    for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) yield piece;
  }

  track(trackId: string): PlanTrackDoc | undefined {
    const plan = this.plan();
    if (!plan) return undefined;
    if (this.trackIndex?.planId !== plan.planId) {
      this.trackIndex = { planId: plan.planId, byId: new Map(plan.tracks.map((t) => [t.id, t])) };
    }
    return this.trackIndex.byId.get(trackId);
  }

  /** Where check-ins get playback's state, nowPlaying and errors. */
  setStatusProvider(provider: () => CheckinStatus): void {
    this.statusProvider = provider;
  }

  // lifecycle

  /** Starts the loop: a check-in now, then on the hub's interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.schedule(0);
  }

  /** Stops timers and downloads and waits for the cycle in flight. Symmetric with start(). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort(new Error('sync stopped'));
    await this.cycle?.catch(() => undefined);
    await this.prefetching?.catch(() => undefined);
    await this.deps.cache.flush();
  }

  status(): SyncStatus {
    const now = this.deps.monotonic.nowMs();
    const plan = this.plan();
    const own = [...this.errors, ...this.deps.cache.errors].sort((a, b) => b.at.localeCompare(a.at));
    return {
      online: this.online(),
      lastCheckinAt: this.lastCheckinAt,
      lastCheckinError: this.lastCheckinError,
      consecutiveFailures: this.failures,
      nextCheckinInMs: this.nextAtMono === null ? null : Math.max(0, this.nextAtMono - now),
      planId: plan?.planId ?? null,
      planUntil: plan?.until ?? null,
      downloads: [...this.deps.cache.downloads.values()].map((d) => ({ ...d })),
      lastPrefetch: this.lastPrefetch,
      errors: own.slice(0, MAX_ERRORS),
    };
  }

  /** The prefetch round in flight, if any (tests and shutdown wait on it). */
  prefetchDone(): Promise<PrefetchRound | null> {
    return this.prefetching ?? Promise.resolve(null);
  }

  /**
   * One check-in: status to the hub, verify its signed time, fetch changed licence/plan, upload plays, start
   * prefetching. Throws on failure (the loop backs off); documents already stored are kept.
   */
  async checkin(): Promise<CheckinResponse> {
    const request = await this.checkinRequest();
    const { body } = await this.deps.client.json('POST', '/appliance/v1/checkin', { json: request });
    const answer = body as CheckinResponse;
    this.acceptHubTime(answer.time);
    this.lastSuccessMono = this.deps.monotonic.nowMs();
    this.lastCheckinAt = new Date(this.deps.wall.nowMs()).toISOString();
    if (Number.isInteger(answer.checkinIntervalSeconds) && answer.checkinIntervalSeconds > 0) {
      this.intervalSeconds = answer.checkinIntervalSeconds;
    }
    if (typeof answer.playsStoredThrough === 'number' && answer.playsStoredThrough > 0) {
      this.deps.log.acknowledge(answer.playsStoredThrough);
    }
    await this.syncLicence(answer.licence);
    await this.syncPlan(answer.plan);
    await this.store.save(this.state);
    // Only now that the state file names the plan: bodies of older plans are no longer needed after a restart.
    this.bodies.retain(this.state.plan ? bodyRefs(this.state.plan.payload as PlanEnvelope) : []);
    try {
      await this.uploader.drain();
    } catch (error) {
      this.recordError(`play upload failed (kept for the next check-in): ${(error as Error).message}`);
    }
    this.startPrefetch();
    this.logger({ event: 'checkin', planId: this.plan()?.planId ?? null, interval: this.intervalSeconds });
    return answer;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.nextAtMono = this.deps.monotonic.nowMs() + delayMs;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      this.cycle = this.runCycle();
    }, delayMs);
  }

  private async runCycle(): Promise<void> {
    let delay: number;
    try {
      await this.checkin();
      this.failures = 0;
      this.lastCheckinError = null;
      delay = jitteredIntervalMs(this.intervalSeconds, this.random);
    } catch (error) {
      this.failures++;
      this.lastCheckinError = (error as Error).message;
      this.recordError(`check-in failed: ${(error as Error).message}`);
      delay = backoffMs(this.failures, this.random, this.intervalSeconds);
      this.logger({
        event: 'checkin-failed',
        failures: this.failures,
        retryInMs: delay,
        message: this.lastCheckinError,
      });
    }
    this.schedule(delay);
  }

  private startPrefetch(): void {
    const plan = this.plan();
    if (!plan || this.prefetching) return;
    const tier = this.licence()?.terms.tier ?? plan.licence?.tier ?? null;
    if (tier !== 'full') return; // preview-only (or no licence): the hub refuses full tracks; previews stream
    this.prefetching = prefetch(this.deps.cache, plan.tracks, {
      concurrency: this.deps.downloadConcurrency ?? 2,
      signal: this.abort.signal,
      logger: this.logger,
    })
      .then((round) => {
        this.lastPrefetch = round;
        return round;
      })
      .finally(() => {
        this.prefetching = null;
      });
  }

  private async checkinRequest(): Promise<CheckinRequest> {
    const status = this.statusProvider();
    const errors = [...(status.errors ?? []), ...this.status().errors]
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, MAX_ERRORS)
      .map((e) => ({ at: e.at, message: e.message.slice(0, 1000) }));
    let freeBytes = 0;
    try {
      const fs = await statfs(this.deps.dataDir);
      freeBytes = Number(fs.bavail) * Number(fs.bsize);
    } catch {
      // unknown: report 0
    }
    return {
      softwareVersion: this.deps.softwareVersion,
      clock: new Date(this.deps.wall.nowMs()).toISOString(),
      uptimeSeconds: Math.max(0, Math.floor((this.deps.monotonic.nowMs() - this.startedMono) / 1000)),
      state: status.state,
      planId: this.plan()?.planId ?? null,
      licenceEtag: this.state.licence ? this.state.licenceEtag : null,
      nowPlaying: status.nowPlaying,
      cache: this.deps.cache.stats(),
      disk: { freeBytes },
      playLog: this.deps.log.stats(),
      errors,
    };
  }

  private acceptHubTime(document: unknown): void {
    const payload = this.verified(document, 'hub time') as HubTimePayload;
    if (payload.type !== 'roomtone.hub-time') throw new Error(`hub time document has type ${String(payload.type)}`);
    if (payload.applianceId !== this.deps.client.applianceId) {
      throw new Error(`hub time was signed for appliance ${payload.applianceId}, not this one`);
    }
    const hubTimeMs = Date.parse(payload.time);
    if (!Number.isFinite(hubTimeMs)) throw new Error(`hub time ${payload.time} is not an instant`);
    this.hubTimeSample = { hubTimeMs, monotonicMs: this.deps.monotonic.nowMs() };
    this.deps.client.setClockOffset(hubTimeMs - this.deps.client.localClockMs());
    this.state.hubTime = document as SignedDocument;
    this.state.hubTimeReceivedWallMs = this.deps.wall.nowMs();
  }

  private async syncLicence(answer: CheckinResponse['licence']): Promise<void> {
    if (answer.etag === null) {
      if (this.state.licence) this.logger({ event: 'licence-withdrawn' });
      this.state.licence = null;
      this.state.licenceEtag = null;
      return;
    }
    if (this.state.licence && !answer.changed && answer.etag === this.state.licenceEtag) return;
    const headers: Record<string, string> = this.state.licenceEtag ? { 'if-none-match': this.state.licenceEtag } : {};
    const { status, etag, body } = await this.deps.client.json('GET', '/appliance/v1/licence', {
      headers: this.state.licence ? headers : {},
      accept: [304, 404],
    });
    if (status === 304) return;
    if (status === 404) {
      this.state.licence = null;
      this.state.licenceEtag = null;
      return;
    }
    const payload = this.checkLicence(this.verified(body, 'licence'));
    this.state.licence = body as SignedDocument;
    this.state.licenceEtag = etag;
    this.state.zoneId = payload.zoneId;
    this.logger({ event: 'licence', licenceId: payload.terms.licenceId, version: payload.terms.version });
  }

  private async syncPlan(answer: CheckinResponse['plan']): Promise<void> {
    if (answer.id === null) {
      if (this.state.plan) this.logger({ event: 'plan-withdrawn' });
      this.state.plan = null;
      this.state.planEtag = null;
      this.assembled = null;
      this.deps.cache.setWanted([]);
      return;
    }
    if (this.state.plan && !answer.changed && this.plan()?.planId === answer.id) return;
    const { status, etag, body } = await this.deps.client.json('GET', '/appliance/v1/plan', {
      headers: this.state.plan && this.state.planEtag ? { 'if-none-match': this.state.planEtag } : {},
      accept: [304, 404],
    });
    if (status === 304) return;
    if (status === 404) {
      this.state.plan = null;
      this.state.planEtag = null;
      this.assembled = null;
      this.deps.cache.setWanted([]);
      return;
    }
    const envelope = this.checkPlan(this.verified(body, 'plan'));
    // Bodies are fetched, checked against the signed hashes and written before the plan is taken: a refused body
    // throws here and the previous plan stays.
    const payload = await this.assemble(envelope);
    this.state.plan = body as SignedDocument;
    this.state.planEtag = etag;
    this.state.zoneId ??= payload.zoneId;
    this.assembled = payload;
    this.deps.cache.setWanted(payload.tracks);
    await this.deps.cache.enforceBudget();
    this.logger({ event: 'plan', planId: payload.planId, tracks: payload.tracks.length, until: payload.until });
  }

  private verified(document: unknown, what: string): Record<string, unknown> {
    const payload = verifyDocument(this.deps.sodium, document, this.deps.client.hubPublicKey);
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new Error(`the hub's ${what} document has no object payload`);
    }
    return payload;
  }

  private checkPlan(payload: Record<string, unknown>): PlanEnvelope {
    const plan = payload as PlanEnvelope;
    if (plan.type !== 'roomtone.plan') throw new Error(`plan document has type ${String(plan.type)}`);
    const version = payload.formatVersion as number;
    if (version !== PLAN_FORMAT_VERSION) {
      throw new Error(
        `plan format version ${String(version)} is not supported (only ${PLAN_FORMAT_VERSION}): update ${
          version > PLAN_FORMAT_VERSION ? 'this appliance' : 'the hub'
        }`,
      );
    }
    const zone = this.state.zoneId ?? this.licence()?.zoneId ?? null;
    if (zone !== null && plan.zoneId !== zone) {
      throw new Error(`plan is for zone ${plan.zoneId}, this appliance is in zone ${zone}: refusing it`);
    }
    for (const [name, ref] of [
      ['timeline', plan.timeline],
      ['catalogue', plan.catalogue],
    ] as const) {
      if (
        typeof ref !== 'object' ||
        ref === null ||
        typeof ref.sha256 !== 'string' ||
        !/^[0-9a-f]{64}$/.test(ref.sha256) ||
        !Number.isSafeInteger(ref.bytes) ||
        ref.bytes < 0
      ) {
        throw new Error(`plan ${plan.planId} has no valid ${name} reference ({ sha256, bytes })`);
      }
    }
    return plan;
  }

  /**
   * The plan from its verified envelope and its bodies: each body from `<data dir>/plan-bodies` when held and intact,
   * else from the hub, checked against the envelope's hash and size, and written atomically.
   */
  private async assemble(envelope: PlanEnvelope): Promise<PlanPayload> {
    const load = async (ref: PlanBodyRef, name: string): Promise<unknown> => {
      let bytes = this.bodies.read(ref);
      if (bytes === null) {
        bytes = await this.fetchBody(ref, name);
        await this.bodies.write(ref, bytes);
      }
      return JSON.parse(bytes.toString('utf8'));
    };
    const timeline = (await load(envelope.timeline, 'timeline')) as PlanTimelineBody;
    const catalogue = (await load(envelope.catalogue, 'catalogue')) as PlanCatalogueBody;
    return assemblePlan(envelope, timeline, catalogue);
  }

  private async fetchBody(ref: PlanBodyRef, name: string): Promise<Buffer> {
    const path = `/appliance/v1/plan-bodies/${ref.sha256}`;
    const response = await this.deps.client.request('GET', path, { signal: this.abort.signal });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new HubError(
        response.status,
        null,
        `hub answered GET ${path} (${name} body) with ${response.status} ${text.slice(0, 300)}`,
      );
    }
    const length = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(length) && length !== ref.bytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(
        `plan body ${ref.sha256} (${name}) from the hub is ${length} bytes, but the signed plan names ${ref.bytes}: refusing it`,
      );
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    checkBody(ref, bytes, `the hub (${name})`);
    return bytes;
  }

  private checkLicence(payload: Record<string, unknown>): LicencePayload {
    const licence = payload as LicencePayload;
    if (licence.type !== 'roomtone.licence') throw new Error(`licence document has type ${String(licence.type)}`);
    if (licence.applianceId !== this.deps.client.applianceId) {
      throw new Error(`licence was signed for appliance ${licence.applianceId}, not this one`);
    }
    return licence;
  }

  /** The stored documents, re-verified against the pinned key (a tampered state file is ignored). */
  private loadVerified(): SyncState {
    const state = this.store.load();
    const keep = (
      doc: SignedDocument | null,
      check: (p: Record<string, unknown>) => unknown,
    ): SignedDocument | null => {
      if (!doc) return null;
      try {
        check(this.verified(doc, 'stored'));
        return doc;
      } catch (error) {
        this.recordError(`stored document ignored: ${(error as Error).message}`);
        return null;
      }
    };
    state.licence = keep(state.licence, (p) => this.checkLicence(p));
    if (!state.licence) state.licenceEtag = null;
    this.state = state;
    state.plan = keep(state.plan, (p) => this.checkPlan(p));
    this.assembled = null;
    if (state.plan) {
      try {
        // Synchronous reads only (the constructor cannot wait): a missing or damaged body drops the stored plan.
        this.assembled = this.assembleStored(state.plan.payload as PlanEnvelope);
      } catch (error) {
        this.recordError(`stored plan ignored: ${(error as Error).message}`);
        state.plan = null;
      }
    }
    if (!state.plan) state.planEtag = null;
    state.hubTime = keep(state.hubTime, () => undefined);
    return state;
  }

  /** The stored plan from the bodies on disk (no network): for a restart, possibly offline. */
  private assembleStored(envelope: PlanEnvelope): PlanPayload {
    const load = (ref: PlanBodyRef, name: string): unknown => {
      const bytes = this.bodies.read(ref);
      if (bytes === null)
        throw new Error(`the ${name} body ${ref.sha256} of plan ${envelope.planId} is missing or damaged`);
      return JSON.parse(bytes.toString('utf8'));
    };
    return assemblePlan(
      envelope,
      load(envelope.timeline, 'timeline') as PlanTimelineBody,
      load(envelope.catalogue, 'catalogue') as PlanCatalogueBody,
    );
  }

  private recordError(message: string): void {
    this.errors.unshift({ at: new Date(this.deps.wall.nowMs()).toISOString(), message });
    this.errors.length = Math.min(this.errors.length, MAX_ERRORS);
    this.logger({ event: 'error', message });
  }
}

function bodyRefs(envelope: PlanEnvelope): PlanBodyRef[] {
  return [envelope.timeline, envelope.catalogue];
}
