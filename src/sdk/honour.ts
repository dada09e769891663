import type { CallbackSweep } from "../compliance/revoked-callbacks.ts";
import type { HonourSummary } from "../consent/honour.ts";
import { runCall } from "./call.ts";
import type { ConsentGroup } from "./consent.ts";
import type { RequestOptions } from "./runtime.ts";

/** What one honour did: the ledger's summary, the callbacks sweep, and their two figures. */
export interface HonourAnswer {
  summary: HonourSummary | undefined;
  callbacks: CallbackSweep | undefined;
  /** Revocations sent to CXone's DNC group (0 without a group). */
  sent: number;
  /** Scheduled callbacks to revoked numbers deleted (0 on a platform without them). */
  cancelled: number;
}

/** A part's outcome: its answer, or what it threw. */
export type Settled<T> = { value: T } | { error: unknown };

/** The two parts of one honour (`honourParts`): each its answer or its error. */
export interface HonourParts {
  honour: Settled<HonourSummary | undefined>;
  /** Absent when the call was stopped (its signal, its deadline) during the first part, or never started (bad options). */
  callbacks: Settled<CallbackSweep | undefined> | undefined;
}

/**
 * Consent honour, the one operation `cxo consent honour`, every autopilot run and `cxo serve`'s
 * consent watcher call, each over its consent parts: `honour` (pending revocations sent to
 * CXone's DNC group, the skills' own groups linked again), then `cancelCallbacks` (CXone's
 * scheduled callbacks to revoked numbers deleted). The two run as ONE call: the caller's signal
 * and deadline (`deadlineMs` from the start of `honour`) bound both parts together, and a call
 * stopped during the first part (its signal, its deadline) does not start the second.
 * Both are otherwise attempted: a DNC group that fails does not keep a callback to a revoked
 * number alive. The watcher reads each part's outcome (it says each on the board and in the
 * log); the others call `honourConsent`. Bad options are the first part's error, nothing sent.
 */
export async function honourParts(
  consent: Pick<ConsentGroup, "honour" | "cancelCallbacks">,
  options?: RequestOptions,
): Promise<HonourParts> {
  const parts = await settle(() =>
    runCall(
      undefined,
      options,
      async (signal): Promise<HonourParts> => {
        // Each part is given the call's one signal (its deadline started once, here), never the
        // caller's `deadlineMs` again: a part started late would have all of it.
        const inner = signal ? { signal } : {};
        const honour = await settle(() => consent.honour(inner));
        // A call stopped (its signal, its deadline) goes no further.
        if ("error" in honour && signal?.aborted) return { honour, callbacks: undefined };
        // No connection: nothing could reach CXone, its callbacks included (the summary says so).
        if ("value" in honour && honour.value?.notSent) return { honour, callbacks: { value: undefined } };
        if (signal?.aborted) return { honour, callbacks: { error: signal.reason } };
        return { honour, callbacks: await settle(() => consent.cancelCallbacks(inner)) };
      },
      { scoped: true },
    ),
  );
  // Options refused, or a signal aborted before the call started: the first part did not run.
  return "value" in parts ? parts.value : { honour: parts, callbacks: undefined };
}

/**
 * `honourParts` as one call (`cxo consent honour`, the autopilot's honour step): a failure of
 * either part is the call's (the first, once both were attempted); the figures a day report
 * counts are the answer's.
 */
export async function honourConsent(
  consent: Pick<ConsentGroup, "honour" | "cancelCallbacks">,
  options?: RequestOptions,
): Promise<HonourAnswer> {
  const { honour, callbacks } = await honourParts(consent, options);
  if ("error" in honour) throw honour.error;
  if (callbacks === undefined)
    throw new Error("unreachable: the callbacks part is skipped only after an error");
  if ("error" in callbacks) throw callbacks.error;
  const summary = honour.value;
  const swept = callbacks.value;
  return { summary, callbacks: swept, sent: summary?.sent ?? 0, cancelled: swept?.cancelled.length ?? 0 };
}

async function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { value: await work() };
  } catch (error) {
    return { error };
  }
}
