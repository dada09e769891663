import { CxoError } from "../core/cxo-error.ts";
import { CxoneError, errorOfStatus, ValidationError } from "../core/http/errors.ts";
import type { Store } from "../core/store/index.ts";
import type { DispositionsPort } from "../platform/ports/dispositions.ts";
import type { CallDispositionResult } from "../platform/types.ts";
import type { MatrixCache } from "./matrix-cache.ts";
import { taggingMetrics } from "./metrics.ts";
import type { RowProblem } from "./rules.ts";
import { type TagPayload, tagOperation } from "./tag-operation.ts";
import { type TagRequest, validateTagRow } from "./validate-row.ts";

/**
 * Tags one (already validated) call: one PUT through the port, run through the journal.
 * Never throws for the call's own failure: the outcome says what happened in the platform's
 * words (a 409 is reported once, not retried; `locked` when it says the disposition is locked; a
 * write applied in part is `partial`). If CXone refuses (400) a code the cached matrix called valid,
 * the matrix is refetched once: a row the fresh matrix rejects is reported with its problems;
 * if the matrix changed and still allows the row, the row is sent once more.
 */
export interface TagDeps {
  port: Pick<DispositionsPort, "setCallDisposition" | "getMatrix">;
  store: Pick<Store, "journal">;
  matrices: MatrixCache;
  /**
   * Told of every call tagged (after its journal row is done): the consent ledger records a
   * do-not-call disposition as a revocation (issue 62). Its failure fails the row: a
   * revocation must not be lost behind a success.
   */
  onTagged?(campaignId: string, request: TagRequest, call: CallDispositionResult["call"]): Promise<void>;
}

export type TagOutcome =
  | {
      ok: true;
      callId: string;
      status: number;
      attempts: number;
      latencyMs: number;
      attemptLatenciesMs: number[];
      /** Set when only part of the row was applied: the tags CXone did not take, and why. */
      partial?: { notApplied: { tags: string[] }; reason: string };
    }
  | {
      ok: false;
      callId: string;
      /** HTTP status of the final answer; 0 when none came (network, deadline). */
      status: number;
      locked: boolean;
      error: string;
      latencyMs: number;
      /** Set when a refreshed matrix shows the row was invalid after all. */
      problems?: RowProblem[];
    };

export interface TagOptions {
  bulk?: TagPayload["bulk"];
  /** The caller's abort/deadline: rejects with its reason (see OperationRequest.signal). */
  signal?: AbortSignal | undefined;
}

export async function tagCall(
  deps: TagDeps,
  campaignId: string,
  request: TagRequest,
  options: TagOptions = {},
): Promise<TagOutcome> {
  const first = await sendOnce(deps, campaignId, request, options);
  if (first.ok || first.status !== 400 || !(first.cause instanceof ValidationError)) return strip(first);

  const before = await deps.matrices.get(campaignId);
  let fresh: Awaited<ReturnType<MatrixCache["get"]>>;
  try {
    fresh = await deps.matrices.refreshOnce(campaignId);
  } catch {
    return strip(first);
  }
  const again = validateTagRow(
    {
      callId: request.callId,
      dispositionCodeId: request.dispositionCodeId,
      reasonCodeId: request.reasonCodeId,
      tags: request.tags,
      notes: request.notes,
    },
    fresh,
    options.bulk?.row,
  );
  if (!again.ok) {
    for (const problem of again.problems) taggingMetrics.validationErrors.inc({ rule: problem.code });
    const outcome = { ...(strip(first) as Extract<TagOutcome, { ok: false }>), problems: again.problems };
    causes.set(outcome, first.cause);
    return outcome;
  }
  if (JSON.stringify(before) === JSON.stringify(fresh)) return strip(first);
  return strip(await sendOnce(deps, campaignId, again.request, options));
}

type Attempted = TagOutcome & { cause?: unknown };

async function sendOnce(
  deps: TagDeps,
  campaignId: string,
  request: TagRequest,
  options: TagOptions,
): Promise<Attempted> {
  const { callId, ...input } = request;
  const payload: TagPayload = { campaignId, callId, input, ...(options.bulk ? { bulk: options.bulk } : {}) };
  const started = performance.now();
  let result: CallDispositionResult;
  try {
    result = await deps.store.journal.run(tagOperation(deps.port), {
      target: callId,
      payload,
      signal: options.signal,
    });
  } catch (error) {
    // An abort is the caller's decision, not the call's outcome: it rejects (the row stays pending).
    if (options.signal?.aborted) throw error;
    const latencyMs = performance.now() - started;
    // CXone's typed error, or a DeadlineExceededError carrying the status of its last answer.
    const status = error instanceof CxoError ? (error.status ?? 0) : 0;
    taggingMetrics.failed.inc({ status: String(status) });
    taggingMetrics.latency.observe(latencyMs);
    return {
      ok: false,
      callId,
      status,
      locked: status === 409 && isLock(error),
      // The platform's own words (an adapter's sentence says what happened and the fix); a
      // conflict is never retried.
      error: status === 409 ? `${errorText(error)} (409; not retried)` : errorText(error),
      latencyMs,
      cause: error,
    };
  }
  await deps.onTagged?.(campaignId, request, result.call);
  taggingMetrics.succeeded.inc();
  taggingMetrics.latency.observe(result.latencyMs);
  for (const ms of result.attemptLatenciesMs) taggingMetrics.attemptLatency.observe(ms);
  return {
    ok: true,
    callId,
    status: result.status,
    attempts: result.attempts,
    latencyMs: result.latencyMs,
    attemptLatenciesMs: result.attemptLatenciesMs,
    ...(result.notApplied
      ? { partial: { notApplied: { tags: result.notApplied.tags }, reason: result.notApplied.reason } }
      : {}),
  };
}

/** The error behind each failed outcome (for callers that throw it rather than report it). */
const causes = new WeakMap<TagOutcome, unknown>();

/** The error a failed outcome stands for (CXone's typed error, or what stopped the request). */
export function failureOf(outcome: Extract<TagOutcome, { ok: false }>): unknown {
  // No cause kept: the class its status names (0, no answer: a NetworkError), as a refused
  // write (a 404 to a tag is CXone refusing what was sent, exit 1, never bad input).
  return causes.get(outcome) ?? errorOfStatus(outcome.status, outcome.error, { method: "POST" });
}

/** A 409 that says the disposition is locked (not some other conflict). */
function isLock(error: unknown): boolean {
  const body = error instanceof CxoneError ? error.body : undefined;
  const code = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  return /lock/i.test(typeof code === "string" ? code : errorText(error));
}

function strip(outcome: Attempted): TagOutcome {
  const { cause, ...rest } = outcome;
  if (cause !== undefined) causes.set(rest as TagOutcome, cause);
  return rest as TagOutcome;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
