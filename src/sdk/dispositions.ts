import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import { type BulkSummary, defaultConcurrency, tagFile } from "../dispositions/bulk-tag.ts";
import { MatrixCache } from "../dispositions/matrix-cache.ts";
import type { Progress } from "../dispositions/progress.ts";
import { redriveTagging, type TaggingRedrive, type TaggingSession } from "../dispositions/session.ts";
import { type TagOutcome, tagCall } from "../dispositions/tag-call.ts";
import { validateTagRow } from "../dispositions/validate-row.ts";
import type { DispositionMatrix } from "../platform/types.ts";
import { type ClientRuntime, type RequestOptions, requestSignal } from "./runtime.ts";

/** One call to tag: the fields of a tagging row (a CSV/NDJSON file has the same columns). */
export interface TagRow {
  callId: string;
  dispositionCodeId: string;
  reasonCodeId?: string | undefined;
  tags?: string[] | string | undefined;
  notes?: string | undefined;
}

export interface TagFileOptions {
  campaignId: string;
  /**
   * Rows in flight at once (1–256). Default: enough for the tenant's tagging limit, 32 at the
   * documented 100/s and more at a higher limit (128 at `rateLimitScale: 10`).
   */
  concurrency?: number;
  /** Validate every row, send nothing. */
  dryRun?: boolean;
  /** Write the invalid rows' problems to this CSV file. */
  reportFile?: string;
  /** No new row starts once aborted; rows in flight finish and are recorded. */
  signal?: AbortSignal;
  /** No new row starts after this many milliseconds (rows in flight finish and are recorded). */
  deadlineMs?: number;
  /** A progress display for `total` valid rows (the CLI draws a bar). */
  progress?: (total: number) => Progress;
}

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
   */
  tag(campaignId: string, row: TagRow, options?: RequestOptions): Promise<TagOutcome>;
  /**
   * Tags every row of a CSV or NDJSON file (`-` = stdin is the CLI's business: give a path).
   * Resumable: rows a previous run of the same file completed are skipped.
   */
  tagFile(file: string, options: TagFileOptions): Promise<BulkSummary>;
}

export function dispositionsGroup(runtime: ClientRuntime): DispositionsGroup {
  const port = runtime.port.dispositions;
  const matrices = new MatrixCache(port);
  // What an earlier run left pending is re-driven once, before this client's first tag.
  let redrive: TaggingRedrive = {
    redriven: { redriven: 0, done: 0, failed: 0, heldElsewhere: 0, leftPending: [] },
    redrivenRows: new Set(),
  };
  const session = async (): Promise<TaggingSession> => {
    const store = await runtime.storeFor("dispositions", async (s) => {
      redrive = await redriveTagging(s, port);
      return redrive.redriven;
    });
    return { port, store, matrices, ...redrive, close: async () => undefined };
  };
  const matrixOf = async (campaignId: string, signal?: AbortSignal) => {
    try {
      return await matrices.get(campaignId, signal);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new InputError({ field: "campaignId", rule: `campaign ${campaignId} does not exist` });
      throw error;
    }
  };

  const taggingRatePerSecond = () => {
    const { configuredLimit, windowMs } = runtime.core.limits.get("dispositions").state();
    return (configuredLimit * 1000) / windowMs;
  };

  return {
    // A read: an unknown campaign is CXone's NotFoundError (the write paths below call it bad input).
    codes: (campaignId, options) => matrices.get(campaignId, requestSignal(options)),

    async tag(campaignId, row, options) {
      // The store first (a bad data dir is bad input, found before anything is sent).
      const deps = await session();
      const signal = requestSignal(options);
      const matrix = await matrixOf(campaignId, signal);
      const checked = validateTagRow({ ...row }, matrix);
      if (!checked.ok) throw new InputError(checked.problems);
      return tagCall(deps, campaignId, checked.request, { signal });
    },

    async tagFile(file, options) {
      // The store first (a bad data dir is bad input, found before anything is sent).
      const deps = await session();
      const signal = requestSignal(options);
      await matrixOf(options.campaignId, signal);
      const run = () =>
        tagFile(deps, {
          campaignId: options.campaignId,
          file,
          concurrency: options.concurrency ?? defaultConcurrency(taggingRatePerSecond()),
          dryRun: options.dryRun === true,
          ...(options.reportFile ? { reportFile: options.reportFile } : {}),
          ...(signal ? { shouldStop: () => signal.aborted } : {}),
          ...(options.progress ? { progress: options.progress } : {}),
        });
      // A dry run sends nothing, so it takes no share of the tenant's limit.
      return options.dryRun ? run() : runtime.withRateShare(["dispositions"], run);
    },
  };
}
