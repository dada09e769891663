import { InputError } from "../core/input-error.ts";
import type { DestinationStatus } from "../core/outbox/destination-status.ts";
import type { DrainReport } from "../core/outbox/dispatcher.ts";
import { runCall } from "./call.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

// The dispatcher (undici) is imported when `deliver` first runs: the other methods only read.

/** The outbox per destination, and the sums of its counts. */
export interface OutboxStatus {
  /** Every destination with events or configuration, by name; an unconfigured one says why its events wait. */
  destinations: DestinationStatus[];
  totals: { pending: number; delivered: number; dead: number };
}

/** What `client.outbox.replay` requeues: one event by `id` (dead or delivered), or every `dead` one (of one `destination`). */
export type OutboxReplayParams = { id: string } | { dead: true; destination?: string };

/** `client.outbox.deliver`'s params. */
export interface OutboxDeliverParams {
  /** Keep going through retries until no event of a configured destination is pending (else one pass over what is due). */
  untilEmpty?: boolean;
  /** Give up after this many milliseconds (default 300000). */
  timeoutMs?: number;
  /** Requests in flight per destination (default 16). */
  concurrency?: number;
}

export interface OutboxGroup {
  /** Pending, delivered and dead events per destination (the client's `destinations` and any with events), and their totals. Local. */
  status(options?: RequestOptions): Promise<OutboxStatus>;
  /**
   * Requeues events with a fresh attempt budget: one by `id` (dead or already delivered), or
   * every dead one (`dead: true`, of `destination` when given). Answers how many were requeued
   * (0 for an unknown id). They go out at the next `deliver` or the running service. Local.
   */
  replay(params: OutboxReplayParams, options?: RequestOptions): Promise<{ replayed: number }>;
  /**
   * Delivers what is due to the client's webhook `destinations` (signed, retried with backoff,
   * dead-lettered after the destination's attempts), one pass or `untilEmpty`; answers the
   * counts (`drained: false`: events still pending). No destination configured is an
   * InputError naming `destinations`. The call's signal or deadline ends the pass as
   * `timeoutMs` does, then rejects. Sends nothing to CXone.
   */
  deliver(params?: OutboxDeliverParams, options?: RequestOptions): Promise<DrainReport>;
}

function paramsObject<T extends object>(params: T | undefined, required: boolean): Partial<T> {
  if (params === undefined && !required) return {};
  if (typeof params !== "object" || params === null || Array.isArray(params))
    throw new InputError({
      field: "params",
      rule: required ? "must be an object ({ id } or { dead: true })" : "must be an object (or absent)",
    });
  return params as Partial<T>;
}

/** The replay's selector, checked: exactly one of `id` and `dead: true`; `destination` only with `dead`. */
function replaySelector(params: OutboxReplayParams): { id: string } | { dead: true; destination?: string } {
  const given = paramsObject(params, true) as { id?: unknown; dead?: unknown; destination?: unknown };
  const { id, dead, destination } = given;
  if (dead !== undefined && dead !== true)
    throw new InputError({ field: "dead", rule: "must be true (or left out)" });
  if (id === undefined && dead === undefined)
    throw new InputError({ field: "id", rule: "give `id` (one event) or `dead: true` (every dead event)" });
  if (id !== undefined && dead !== undefined)
    throw new InputError({ field: "id", rule: "give only one of `id`, `dead`" });
  if (id !== undefined) {
    if (typeof id !== "string" || id === "")
      throw new InputError({ field: "id", rule: "must be an event id (non-empty text)" });
    if (destination !== undefined)
      throw new InputError({ field: "destination", rule: "only applies with `dead`" });
    return { id };
  }
  if (destination !== undefined && (typeof destination !== "string" || destination === ""))
    throw new InputError({ field: "destination", rule: "must be a destination name (non-empty text)" });
  return destination === undefined ? { dead: true } : { dead: true, destination };
}

export function outboxGroup(runtime: ClientRuntime): OutboxGroup {
  return {
    status: (options) =>
      runCall(runtime, options, async () => {
        const { destinationStatus } = await import("../core/outbox/destination-status.ts");
        const store = await runtime.store();
        const destinations = await destinationStatus(store.outbox, Object.keys(runtime.destinations));
        const totals = destinations.reduce(
          (sum, row) => ({
            pending: sum.pending + row.pending,
            delivered: sum.delivered + row.delivered,
            dead: sum.dead + row.dead,
          }),
          { pending: 0, delivered: 0, dead: 0 },
        );
        return { destinations, totals };
      }),

    replay: (params, options) =>
      runCall(runtime, options, async () => {
        const selector = replaySelector(params);
        const store = await runtime.store();
        return { replayed: await store.outbox.replay(selector) };
      }),

    deliver: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const given = paramsObject(params, false);
        const timeoutMs = given.timeoutMs ?? 300_000;
        if (typeof timeoutMs !== "number" || !(timeoutMs > 0) || !Number.isFinite(timeoutMs))
          throw new InputError({ field: "timeoutMs", rule: "must be a positive number" });
        const concurrency = given.concurrency ?? 16;
        if (!Number.isSafeInteger(concurrency) || concurrency < 1)
          throw new InputError({ field: "concurrency", rule: "must be a positive integer" });
        if (given.untilEmpty !== undefined && typeof given.untilEmpty !== "boolean")
          throw new InputError({ field: "untilEmpty", rule: "must be true or false" });
        const destinations = runtime.destinations;
        if (Object.keys(destinations).length === 0)
          throw new InputError({
            field: "destinations",
            rule: "no webhook destination is configured (cxo.config.yaml or CXO_DEST_<NAME>_URL)",
          });
        const { createDispatcher } = await import("../core/outbox/dispatcher.ts");
        const dispatcher = createDispatcher((await runtime.store()).outbox, {
          destinations,
          concurrency,
          ...(runtime.logger ? { logger: runtime.logger } : {}),
        });
        let report: DrainReport;
        try {
          const pass = { timeoutMs, ...(signal ? { signal } : {}) };
          report = given.untilEmpty ? await dispatcher.drain(pass) : await dispatcher.deliverDue(pass);
        } finally {
          await dispatcher.stop();
        }
        signal?.throwIfAborted();
        return report;
      }),
  };
}
