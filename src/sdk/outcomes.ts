import type { Paginated } from "../core/http/pagination.ts";
import { InputError } from "../core/input-error.ts";
import { type OutcomeQuery, outcomeCallPages, queryOf } from "../outcomes/list-calls.ts";
import type {
  OutcomeChangesParams,
  OutcomeChangesQuery,
  OutcomeChangesSummary,
  OutcomeExportParams,
  OutcomeExportSummary,
} from "../outcomes/of-client.ts";
import type { TsrCheckResult } from "../outcomes/tsr-check.ts";
import type { OutboundCall } from "../platform/types.ts";
import { runCall, runListing } from "./call.ts";
import { type ClientRuntime, paramsOf, type RequestOptions } from "./runtime.ts";

// For the CLI, which names them from here; the package's entry exports them from their own modules.
export type { OutcomeExportSummary, OutcomeQuery };

// The export pipeline (record formats, analysis, HTML report, CSV writer, outbox dispatcher) and
// luxon are imported at first use, not with this file: every client builds this group, and most
// never export.

export interface OutcomesGroup {
  /**
   * Streams the records to `out` in constant memory with conversion analysis and a compliance
   * hash; resumable after an interruption. Query problems are an InputError naming the query's
   * field (`campaignId`, `from`, …); nothing is sent. The request options stop it (resumable
   * with `resume: true`): at the signal's abort or the deadline it rejects with
   * ExportInterruptedError, whose `cause` is the reason (DeadlineExceededError).
   */
  export(
    query: OutcomeQuery,
    params: OutcomeExportParams,
    options?: RequestOptions,
  ): Promise<OutcomeExportSummary>;
  /**
   * The records themselves, to iterate in constant memory (one page held at a time, the next
   * fetched as the loop asks for it) or to collect with a cap:
   *
   * ```ts
   * for await (const call of cxo.outcomes.list({ campaignId, from, to })) …
   * const first100 = await cxo.outcomes.list(query).toArray({ limit: 100 });
   * ```
   *
   * The query is checked when the iteration starts (an InputError naming its field; nothing is
   * sent). `deadlineMs` bounds the whole iteration, from its start; `signal` stops it.
   */
  list(query: OutcomeQuery, options?: RequestOptions): Paginated<OutboundCall>;
  /**
   * The incremental export (production platform: CXone's `updatedSince` listing, 304 = no
   * change): the campaign's calls created or changed since `updatedSince`, or since where this
   * campaign's last incremental export stopped (a cursor kept in the store, advanced only when
   * an export completes). Same records, compliance hash and analysis as `export`. On the seed
   * platform a NotSupportedError (its API filters outcomes by start time only). Bad input is an
   * InputError naming the field (`updatedSince` when there is no cursor yet); nothing is sent.
   */
  exportChanges(
    query: OutcomeChangesQuery,
    params: OutcomeChangesParams,
    options?: RequestOptions,
  ): Promise<OutcomeChangesSummary>;
  /**
   * Does a Parquet outcomes dataset hold the FTC Telemarketing Sales Rule's
   * call-detail fields for every record, and a partition for every UTC day from `from` up to (not
   * including) `to`? `ok` false names the fields records lack and the runs of missing days. Local
   * work: nothing is sent. Bad input is an InputError naming `dataset`, `from` or `to`.
   */
  verifyTsr(
    params: { dataset: string; from: string; to: string },
    options?: RequestOptions,
  ): Promise<TsrCheckResult>;
}

export function outcomesGroup(runtime: ClientRuntime): OutcomesGroup {
  return {
    export: (query, params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../outcomes/of-client.ts")).exportOfClient(
          runtime,
          queryOf(query),
          paramsOf(params) as OutcomeExportParams,
          signal,
        ),
      ),
    verifyTsr: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const given = paramsOf(params) as Partial<{ dataset: string; from: string; to: string }>;
        for (const field of ["dataset", "from", "to"] as const)
          if (typeof given[field] !== "string" || given[field] === "")
            throw new InputError({ field, rule: "is required (a string)" });
        const { checkTsrDataset } = await import("../outcomes/tsr-check.ts");
        return checkTsrDataset(
          given.dataset as string,
          { from: given.from as string, to: given.to as string },
          signal,
        );
      }),
    exportChanges: (query, params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../outcomes/of-client.ts")).changesOfClient(
          runtime,
          paramsOf(query, "query") as OutcomeChangesQuery,
          paramsOf(params) as OutcomeChangesParams,
          signal,
        ),
      ),
    // The options and the query are checked when the iteration starts (an InputError from the
    // loop; nothing sent), and the deadline runs from there.
    list: (query, options) =>
      runListing(runtime, options, (signal) => outcomeCallPages(runtime.port.outcomes, query, signal)),
  };
}
