import { TaggedRevocations } from "../consent/tagged-dnc.ts";
import { named } from "../core/http/not-found.ts";
import { lazyModule } from "../core/lazy-module.ts";
import type { BulkSummary } from "../dispositions/bulk-tag.ts";
import { MatrixCache } from "../dispositions/matrix-cache.ts";
import type {
  DispositionsContext,
  TagFileParams,
  TagResult,
  TagRow,
  TagSource,
} from "../dispositions/of-client.ts";
import type { TaggingRedrive } from "../dispositions/session.ts";
import type { DispositionMatrix } from "../platform/types.ts";
import { runCall } from "./call.ts";
import { type ClientRuntime, idOf, type RequestOptions } from "./runtime.ts";

export type { TagFileParams, TagResult, TagRow, TagSource } from "../dispositions/of-client.ts";

// Tagging is imported at first use, not with this file: every client builds this group, and
// most never tag (lazy-module.ts: loaded once).
const loadSession = lazyModule(() => import("../dispositions/session.ts"));
const loadTagging = lazyModule(() => import("../dispositions/of-client.ts"));

export interface DispositionsGroup {
  /**
   * The campaign's disposition codes with the reason codes of each (cached for 5 minutes). An
   * unknown campaign rejects with NotFoundError.
   */
  codes(campaignId: string, options?: RequestOptions): Promise<DispositionMatrix>;
  /**
   * Tags one call, once: the row is checked against the campaign's matrix first (InputError
   * with the field names of `TagRow`, nothing sent), then journaled and sent. The PUT is an
   * upsert keyed by the call, so it takes no idempotency key: sending it twice is harmless.
   *
   * One convention, as every single-call method of the SDK: it resolves when the call is
   * tagged and rejects with a typed error otherwise: InputError for a bad row or an unknown
   * campaign (nothing sent), CXone's error when it refuses the call (`NotFoundError` for an
   * unknown call, `ConflictError` for a locked one), DeadlineExceededError or the signal's reason when stopped. The bulk
   * `tagFile` instead reports each row's failure in its summary.
   */
  tag(campaignId: string, row: TagRow, options?: RequestOptions): Promise<TagResult>;
  /**
   * Tags every row of a CSV or NDJSON file, of a readable stream of one (with `format`), or of
   * an (async) iterable of rows. A stream or iterable is first copied to a temporary file (read
   * twice: validated whole before anything is sent). Resumable: rows a previous run of the same
   * content completed are skipped, and the summary says so (`skipped`, `warnings`); `force`
   * sends them again on purpose.
   *
   * The request options bound the whole call: at `signal`'s abort or `deadlineMs`, no new row
   * starts, the rows in flight are stopped (their journal rows stay pending and the next run
   * re-drives them) and the call rejects with the reason (DeadlineExceededError for the
   * deadline). To stop gracefully instead, with a summary, use `stopSignal` or `noNewRowsAfterMs`.
   */
  tagFile(source: TagSource, params: TagFileParams, options?: RequestOptions): Promise<BulkSummary>;
}

export function dispositionsGroup(runtime: ClientRuntime): DispositionsGroup {
  const port = runtime.port.dispositions;
  const matrices = new MatrixCache(port);
  // What an earlier run left pending is re-driven once, before this client's first tag.
  let redrive: TaggingRedrive = {
    redriven: { redriven: 0, done: 0, failed: 0, heldElsewhere: 0, leftPending: [] },
    redrivenRows: new Set(),
  };
  // Revocations recorded while tagging go to the tenant's CXone DNC group when the call's work
  // is done (consent/tagged-dnc.ts).
  const revocations = new TaggedRevocations(runtime);
  const afterTagging = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      await revocations.honour();
    }
  };
  const ctx: DispositionsContext = {
    context: runtime,
    async session() {
      const { redriveTagging } = await loadSession();
      const store = await runtime.storeFor("dispositions", async (s) => {
        redrive = await redriveTagging(s, port);
        return redrive.redriven;
      });
      return {
        port,
        store,
        matrices,
        ...redrive,
        close: async () => undefined,
        onTagged: async (campaignId, request, call) => {
          const matrix = await matrices.get(campaignId);
          await revocations.record(store, matrix, campaignId, request, call);
        },
      };
    },
    matrixOf: (campaignId, signal) => named("campaign", campaignId, () => matrices.get(campaignId, signal)),
    taggingRatePerSecond() {
      const { configuredLimit, windowMs } = runtime.core.limits.get("dispositions").state();
      return (configuredLimit * 1000) / windowMs;
    },
    withRateShare: (work) => runtime.withRateShare(["dispositions"], work),
  };
  return {
    codes: (campaignId, options) =>
      runCall(runtime, options, (signal) => ctx.matrixOf(idOf(campaignId, "campaignId"), signal)),
    tag: (campaignId, row, options) =>
      runCall(runtime, options, async (signal) =>
        afterTagging((await loadTagging()).tagOne(ctx, campaignId, row, signal)),
      ),
    tagFile: (source, params, options) =>
      runCall(runtime, options, async (signal) =>
        afterTagging((await loadTagging()).tagRows(ctx, source, params, signal)),
      ),
  };
}
