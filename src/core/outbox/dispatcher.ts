import { type Clock, systemClock, type Timer } from "../clock/clock.ts";
import type { DestinationSettings } from "../config/index.ts";
import { Agent } from "../http/undici.ts";
import { type Logger, scrubSecrets, silentLogger } from "../logging/index.ts";
import { fullJitterBackoff, parseRetryAfter } from "../retry/index.ts";
import { eventBody } from "./events.ts";
import { type ClaimedEvent, type DeliveryResult, leaseOwnerId, type Outbox } from "./queue.ts";
import { signWebhook } from "./signing.ts";

/**
 * Delivers the outbox to its webhook destinations, at least once.
 *
 * One lane per destination: at most `concurrency` requests in flight, claimed oldest first
 * under a lease; a 429 pauses the whole lane until Retry-After (the receiver asked us, not one
 * request, to slow down); other failures retry with full-jitter exponential backoff until the
 * destination's maxAttempts, then the event is dead-lettered (kept, replayable).
 * Results are written in batches, in transactions separate from the sends: a crash between a
 * delivery and its bookkeeping means the event goes again, never that it is lost.
 *
 * Only the destination's configured headers and the signature headers are sent; the
 * dispatcher has no access to CXone credentials, and every body is scrubbed of registered
 * secrets on the way out.
 */
export interface DispatcherOptions {
  destinations: Record<string, DestinationSettings>;
  /** Requests in flight per destination. */
  concurrency?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Per request (headers and body). */
  requestTimeoutMs?: number;
  /** How long a claimed event is reserved; kept above requestTimeoutMs. */
  leaseMs?: number;
  /** How often to look for due events when nothing wakes us (events from other processes). */
  pollIntervalMs?: number;
  /** Ceiling for a receiver's Retry-After. */
  maxRetryAfterMs?: number;
  random?: () => number;
  logger?: Logger;
  userAgent?: string;
  /** Time for due instants, backoff and Retry-After waits, polls (tests: a virtual clock). */
  clock?: Clock;
  /** The business unit the events are named with (default: the outbox's store's tenant). */
  tenant?: string;
}

export interface DispatchStats {
  delivered: number;
  retried: number;
  dead: number;
  inFlight: number;
}

export interface DrainReport extends DispatchStats {
  /** Events still pending for the configured destinations (0 when fully drained). */
  pending: number;
  drained: boolean;
}

interface Lane {
  name: string;
  settings: DestinationSettings;
  url: URL;
  inFlight: number;
  pausedUntil: number;
  claiming: boolean;
  again: boolean;
  timer: Timer | undefined;
  wakeAt: number;
}

/** How long a one-pass delivery (deliverDue) waits for a failed delivery's first retry. */
export const DELIVER_DUE_RETRY_GRACE_MS = 3000;

export class OutboxDispatcher {
  private readonly outbox: Outbox;
  private readonly lanes: Lane[];
  private readonly concurrency: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly requestTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly userAgent: string;
  /** Named in every body: a destination several tenants share knows whose each event is. */
  private readonly tenant: string | undefined;
  private readonly owner = leaseOwnerId();
  private agent: Agent | undefined;
  private running = false;
  private unsubscribe: (() => void) | undefined;
  private staleSweep: Timer | undefined;
  private readonly clock: Clock;
  private results: DeliveryResult[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> | undefined;
  private readonly counters = { delivered: 0, retried: 0, dead: 0 };
  /** Claims and deliveries under way: what `stop` waits for, each removed as it settles. */
  private readonly busy = new Set<Promise<unknown>>();
  /** Claims begun so far: a pass's idle answer counts only if no claim began while it was read. */
  private claimsBegun = 0;

  constructor(outbox: Outbox, options: DispatcherOptions) {
    this.outbox = outbox;
    this.concurrency = options.concurrency ?? 16;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.backoffCapMs = options.backoffCapMs ?? 10 * 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.leaseMs = Math.max(options.leaseMs ?? 60_000, this.requestTimeoutMs + 1000);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 3_600_000;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.userAgent = options.userAgent ?? "cxone-outbound-webhooks/1";
    this.tenant = options.tenant ?? outbox.tenant;
    this.lanes = Object.entries(options.destinations).map(([name, settings]) => ({
      name,
      settings,
      url: new URL(settings.url),
      inFlight: 0,
      pausedUntil: 0,
      claiming: false,
      again: false,
      timer: undefined,
      wakeAt: 0,
    }));
  }

  get destinations(): string[] {
    return this.lanes.map((lane) => lane.name);
  }

  stats(): DispatchStats {
    return { ...this.counters, inFlight: this.lanes.reduce((sum, lane) => sum + lane.inFlight, 0) };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: this.concurrency,
      headersTimeout: this.requestTimeoutMs,
      bodyTimeout: this.requestTimeoutMs,
    });
    // A process killed mid-delivery leaves leases behind; if it was on this host and is gone,
    // its events can go now rather than when the lease runs out.
    await this.outbox.releaseStaleLeases();
    // Other instances on this host may die while we run (kill -9): free their leases as we go,
    // rather than only when the lease runs out (leases of another host's instance still must).
    this.sweepStaleLeasesEvery(5000);
    this.unsubscribe = this.outbox.onEnqueued(() => this.pumpAll());
    this.pumpAll();
  }

  /** Housekeeping nobody awaits: it never keeps the process alive. */
  private sweepStaleLeasesEvery(ms: number): void {
    this.staleSweep = this.clock.setTimer(
      () => {
        if (!this.running) return;
        this.outbox
          .releaseStaleLeases()
          .then((released) => released > 0 && this.pumpAll())
          .catch(() => undefined)
          .finally(() => this.running && this.sweepStaleLeasesEvery(ms));
      },
      ms,
      { keepAlive: false },
    );
  }

  /** Stops claiming, lets in-flight requests finish and records their results. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.staleSweep?.cancel();
    this.unsubscribe?.();
    for (const lane of this.lanes) lane.timer?.cancel();
    // A claim under way may still hand its batch to deliveries: wait until nothing new starts.
    while (this.busy.size > 0) await Promise.allSettled([...this.busy]);
    await this.flush();
    await this.agent?.close();
    this.agent = undefined;
  }

  /** Runs until no event of a configured destination is pending (or the timeout passes). */
  async drain(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<DrainReport> {
    return this.runUntil(
      async () => (await this.pendingHere()).pending === 0,
      options.timeoutMs,
      options.signal,
    );
  }

  /**
   * One pass: delivers what is due now, then stops. A delivery that fails is retried once more
   * within the pass when its retry falls due within `retryGraceMs` (default 3 s) of the first
   * moment nothing was due: one refused answer or reset connection from a receiver does not leave
   * a command's event for `cxo serve`, while a receiver that is down costs the pass that grace.
   */
  async deliverDue(
    options: { timeoutMs?: number; retryGraceMs?: number; signal?: AbortSignal } = {},
  ): Promise<DrainReport> {
    const graceMs = options.retryGraceMs ?? DELIVER_DUE_RETRY_GRACE_MS;
    let graceEndsMs: number | undefined;
    const report = await this.runUntil(
      async () => {
        const { nextDueMs } = await this.pendingHere();
        if (nextDueMs === null) return true;
        const now = this.clock.epochMs();
        if (nextDueMs <= now) return false;
        graceEndsMs ??= now + graceMs;
        return nextDueMs > graceEndsMs;
      },
      options.timeoutMs,
      options.signal,
    );
    await this.stop();
    return { ...report, ...this.stats() };
  }

  /** Runs until `done`, the timeout passes or `signal` fires (it stops the pass as the timeout does). */
  private async runUntil(
    done: () => Promise<boolean>,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<DrainReport> {
    await this.start();
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : this.clock.now() + timeoutMs;
    let finished = false;
    for (;;) {
      // A claim in progress is not idle: the events it leases look "due later" (their lease's end)
      // until they are sent, and a pass that stopped then would read them wrongly.
      const idle =
        this.stats().inFlight === 0 &&
        this.results.length === 0 &&
        !this.flushing &&
        !this.lanes.some((lane) => lane.claiming);
      // `done` reads the database; a lane that claims while it reads (its wake timer fell due)
      // leases an event the answer then sees as "due at the lease's end", not as being sent.
      const claimsBefore = this.claimsBegun;
      if (idle && (await done()) && this.claimsBegun === claimsBefore) {
        finished = true;
        break;
      }
      if (this.clock.now() >= deadline || signal?.aborted) break;
      this.pumpWaitingLanes();
      // A tick of the process's timers (setTimer), not a wait for a remote side: never on a client's schedule.
      await new Promise<void>((resolve) => this.clock.setTimer(resolve, 10));
    }
    const { pending } = await this.pendingHere();
    return { ...this.stats(), pending, drained: finished && pending === 0 };
  }

  private pendingHere() {
    return this.outbox.pendingSummary(this.destinations, this.clock.epochMs());
  }

  private pumpAll(): void {
    for (const lane of this.lanes) this.pumpTracked(lane);
  }

  /**
   * A pass's tick pumps only the lanes not claiming: asking a claiming lane to claim again
   * chains its claims back to back whenever a claim outlasts the tick (a database a few
   * milliseconds away), and a pass that sees a lane claiming at every tick never ends.
   */
  private pumpWaitingLanes(): void {
    for (const lane of this.lanes) if (!lane.claiming) this.pumpTracked(lane);
  }

  /** A pass of the lane that `stop` will wait for. */
  private pumpTracked(lane: Lane): void {
    this.track(this.pump(lane));
  }

  private track(work: Promise<unknown>): void {
    this.busy.add(work);
    const settled = () => this.busy.delete(work);
    work.then(settled, settled);
  }

  private wake(lane: Lane, atMs: number): void {
    if (!this.running) return;
    if (lane.timer && lane.wakeAt <= atMs) return;
    lane.timer?.cancel();
    lane.wakeAt = atMs;
    lane.timer = this.clock.setTimer(() => {
      lane.timer = undefined;
      this.pumpTracked(lane);
    }, atMs - this.clock.epochMs());
  }

  private async pump(lane: Lane): Promise<void> {
    if (!this.running) return;
    if (lane.claiming) {
      lane.again = true;
      return;
    }
    const now = this.clock.epochMs();
    if (lane.pausedUntil > now) return this.wake(lane, lane.pausedUntil);
    const free = this.concurrency - lane.inFlight;
    // Claim in batches (a claim is a transaction), unless the lane has gone idle.
    if (free <= 0 || (lane.inFlight > 0 && free < Math.ceil(this.concurrency / 4))) return;
    lane.claiming = true;
    this.claimsBegun += 1;
    try {
      const batch = await this.outbox.claim(lane.name, free, this.owner, this.leaseMs, now);
      for (const event of batch) this.send(lane, event);
      if (batch.length < free) {
        const { nextDueMs } = await this.outbox.pendingSummary([lane.name], this.clock.epochMs());
        const at = this.clock.epochMs();
        const poll = at + this.pollIntervalMs;
        this.wake(lane, nextDueMs === null ? poll : Math.min(poll, Math.max(nextDueMs, at + 5)));
      }
    } catch (error) {
      this.logger.error({ err: error, destination: lane.name }, "outbox claim failed");
      this.wake(lane, this.clock.epochMs() + this.pollIntervalMs);
    } finally {
      lane.claiming = false;
      if (lane.again) {
        lane.again = false;
        queueMicrotask(() => this.pumpTracked(lane));
      }
    }
  }

  private send(lane: Lane, event: ClaimedEvent): void {
    lane.inFlight += 1;
    const delivery = this.deliver(lane, event)
      .then((result) => {
        this.results.push(result);
        this.counters[result.outcome === "retry" ? "retried" : result.outcome] += 1;
        this.scheduleFlush();
      })
      .finally(() => {
        lane.inFlight -= 1;
        this.pumpTracked(lane);
      });
    this.track(delivery);
  }

  private async deliver(lane: Lane, event: ClaimedEvent): Promise<DeliveryResult> {
    const body = scrubSecrets(eventBody(event, event.dataJson, this.tenant));
    const timestamp = Math.floor(this.clock.epochMs() / 1000);
    const headers: Record<string, string> = {
      ...lane.settings.headers,
      "content-type": "application/json",
      "user-agent": this.userAgent,
      "webhook-id": event.id,
      "webhook-timestamp": String(timestamp),
    };
    if (lane.settings.secret)
      Object.assign(headers, signWebhook(lane.settings.secret, { id: event.id, body, timestamp }));
    let status: number | null = null;
    let retryAfterMs: number | undefined;
    let error: string;
    try {
      // The agent exists from start() to stop(), and deliveries run only in between.
      const agent = this.agent;
      if (!agent) throw new Error("the webhook dispatcher is stopped");
      const url = new URL(lane.url);
      const response = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      status = response.statusCode;
      // The receiver's answer is never used: at most 64 KiB of it is read (a receiver that
      // streams without end cannot hold the dispatcher), the connection dropped past that.
      await response.body.dump({ limit: 64 * 1024 });
      if (status >= 200 && status < 300) return { seq: event.seq, outcome: "delivered", status };
      if (status === 429 || status === 503)
        retryAfterMs = parseRetryAfter(response.headers["retry-after"], this.clock.epochMs());
      error = `HTTP ${status}`;
    } catch (cause) {
      error = scrubSecrets((cause as Error).message ?? String(cause));
    }
    const now = this.clock.epochMs();
    if (retryAfterMs !== undefined) retryAfterMs = Math.min(retryAfterMs, this.maxRetryAfterMs);
    if (status === 429) lane.pausedUntil = now + (retryAfterMs ?? this.backoff(event.attempts + 1));
    const attempts = event.attempts + 1;
    if (attempts >= lane.settings.maxAttempts) {
      this.logger.warn({ destination: lane.name, eventId: event.id, attempts, error }, "event dead-lettered");
      return { seq: event.seq, outcome: "dead", status, error };
    }
    const delay = retryAfterMs ?? this.backoff(attempts);
    return { seq: event.seq, outcome: "retry", status, error, nextAttemptMs: now + delay };
  }

  private backoff(attempt: number): number {
    return fullJitterBackoff(attempt, this.backoffBaseMs, this.backoffCapMs, this.random);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** Writes buffered results in one transaction; then lanes may claim (ordered successors). */
  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.results.length === 0) return;
    const batch = this.results;
    this.results = [];
    this.flushing = this.outbox
      .settle(batch, this.clock.epochMs())
      .catch((error) => {
        // Keep them and try again; if the process dies first, the leases expire and the
        // events go again (at least once).
        this.logger.error({ err: error }, "recording delivery results failed");
        this.results.unshift(...batch);
        this.clock.setTimer(() => this.scheduleFlush(), 100);
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
    this.pumpAll();
  }
}

export function createDispatcher(outbox: Outbox, options: DispatcherOptions): OutboxDispatcher {
  return new OutboxDispatcher(outbox, options);
}
