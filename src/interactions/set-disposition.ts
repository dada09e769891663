import { clockNowDate } from "../core/clock/now.ts";
import { CxoneError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import { type InstantInput, instantInputText, zonedInstantText } from "../core/instant-input.ts";
import type { Store } from "../core/store/index.ts";
import type { InteractionsPort } from "../platform/ports/interactions.ts";
import type { InteractionDispositionEntry } from "../platform/types.ts";
import { knownCodes } from "./code-catalogue.ts";
import { classMixProblem, unknownCodeProblem } from "./code-rules.ts";
import { type IntendedDisposition, setDispositionProblems } from "./entry-rules.ts";
import { DispositionRuleError } from "./errors.ts";
import { isApplied, mergeDisposition } from "./merge.ts";
import { InteractionMetrics } from "./metrics.ts";
import { type ConflictPolicy, DEFAULT_CONFLICT_POLICY, setDispositionOperation } from "./operation.ts";
/**
 * `setDisposition(id, {code, description, agentId, etag?})`: add or replace one disposition on
 * a closed interaction without ever erasing a concurrent edit.
 *
 * 1. Local rules (fields, zoned timestamp, known code): bad input → InputError, nothing sent.
 * 2. Read the interaction. A given `etag` that is no longer current is a conflict already
 *    known: the change is applied to the fresh state, exactly as after a 409 (PATCH replaces
 *    the array, so a body can only be built from a state we have read).
 * 3. Our entry already there → nothing to send. The merged result mixes 1xx and 2xx → bad input.
 * 4. The PATCH loop runs through the journal (pending row, then done/failed + audit record with
 *    before/after ETags + the `interactions` outbox event, in one transaction).
 */
export interface SetDispositionInput {
  code: string;
  description: string;
  agentId: string;
  /**
   * ISO 8601 with a zone, or a Date (InstantInput; sent as its ISO text); default: now (UTC).
   * Fixed once, so every retry sends the same entry.
   */
  timestamp?: InstantInput;
  /** The ETag the caller believes current. */
  etag?: string;
}

export interface SetDispositionDeps {
  port: InteractionsPort;
  store: Store;
  metrics?: InteractionMetrics;
  policy?: Partial<ConflictPolicy>;
}

export interface SetDispositionResult {
  interactionId: string;
  code: string;
  /**
   * `updated`: our PATCH answered 200; `confirmed`: an unanswered PATCH had landed (seen on
   * re-read); `unchanged`: the entry was already there, nothing was sent.
   */
  outcome: "updated" | "confirmed" | "unchanged";
  beforeEtag: string;
  afterEtag: string;
  givenEtag: string | null;
  /** The given --etag was not current; the change was re-applied to the fresh state. */
  staleEtag: boolean;
  patches: number;
  conflicts: number;
  dispositions: InteractionDispositionEntry[];
  latencyMs: number;
}

export async function setDisposition(
  deps: SetDispositionDeps,
  interactionId: string,
  input: SetDispositionInput,
  request: { signal?: AbortSignal | undefined; idempotencyKey?: string | undefined } = {},
): Promise<SetDispositionResult> {
  const metrics = deps.metrics ?? new InteractionMetrics();
  const started = performance.now();
  const timestamp = input.timestamp ?? clockNowDate().toISOString();
  const counted = new WeakSet<InputError>();
  const reject = (error: InputError, rule: string): never => {
    metrics.validationError(rule);
    counted.add(error);
    throw error;
  };

  const problems = setDispositionProblems(interactionId, {
    code: input.code,
    description: input.description,
    agentId: input.agentId,
    timestamp,
    etag: input.etag,
  });
  if (problems.length > 0) reject(new InputError(problems), "input");
  // As RFC 3339, the same wall time and offset: the form CXone reads (the rule takes `-0400` too);
  // a Date as its ISO text.
  const text = instantInputText(timestamp, "timestamp");
  const intended: IntendedDisposition = {
    code: input.code,
    description: input.description,
    agentId: input.agentId,
    timestamp: zonedInstantText(text) ?? text,
  };

  try {
    const unknown = unknownCodeProblem(intended.code, await counting(metrics, () => knownCodes(deps.port)));
    if (unknown) reject(new DispositionRuleError("unknown-code", unknown), "unknown-code");

    const read = await counting(metrics, () => deps.port.get(interactionId, request.signal));
    const current = read.interaction.dispositions;
    const staleEtag = input.etag !== undefined && input.etag !== read.etag;
    if (staleEtag) metrics.conflict();
    const common = {
      interactionId,
      code: intended.code,
      beforeEtag: read.etag,
      givenEtag: input.etag ?? null,
      staleEtag,
    };

    if (isApplied(current, intended)) {
      const latencyMs = performance.now() - started;
      metrics.success("unchanged", latencyMs);
      return {
        ...common,
        outcome: "unchanged",
        afterEtag: read.etag,
        patches: 0,
        conflicts: staleEtag ? 1 : 0,
        dispositions: current,
        latencyMs,
      };
    }
    const mix = classMixProblem(mergeDisposition(current, intended).map((e) => e.code));
    if (mix) reject(new DispositionRuleError("class-mix", mix), "class-mix");

    const operation = setDispositionOperation(deps.port, metrics, {
      ...DEFAULT_CONFLICT_POLICY,
      ...deps.policy,
    });
    const result = await deps.store.journal.run(operation, {
      target: interactionId,
      payload: { interactionId, intended, baseEtag: read.etag, baseDispositions: current },
      signal: request.signal,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    });
    const latencyMs = performance.now() - started;
    metrics.success(result.outcome, latencyMs);
    return {
      ...common,
      outcome: result.outcome,
      afterEtag: result.afterEtag,
      patches: result.patches,
      conflicts: result.conflicts + (staleEtag ? 1 : 0),
      dispositions: result.dispositions,
      latencyMs,
    };
  } catch (error) {
    if (error instanceof InputError) {
      // A rule broken inside the PATCH loop (a concurrent edit made the merge non-compliant).
      if (!counted.has(error))
        metrics.validationError(error instanceof DispositionRuleError ? error.rule : "input");
    } else {
      metrics.failure(performance.now() - started);
    }
    throw error;
  }
}

/** Reads before the journalled loop; their CXone errors count as API errors. */
async function counting<T>(metrics: InteractionMetrics, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CxoneError) metrics.apiError(error.status);
    throw error;
  }
}
