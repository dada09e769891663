import { existsSync, statSync } from "node:fs";
import type { Paginated } from "../core/http/pagination.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import { type OutcomeQuery, outcomeCallPages, queryOf } from "../outcomes/list-calls.ts";
import type {
  OutcomeChangesParams,
  OutcomeChangesQuery,
  OutcomeChangesSummary,
  OutcomeExportParams,
  OutcomeExportSummary,
} from "../outcomes/of-client.ts";
import type { ExportFormat } from "../outcomes/read-export.ts";
import type { TsrCheckResult } from "../outcomes/tsr-check.ts";
import type { ExportVerification } from "../outcomes/verify.ts";
import type { OutboundCall } from "../platform/types.ts";
import { runCall, runListing } from "./call.ts";
import { type ClientRuntime, paramsOf, type RequestOptions } from "./runtime.ts";

// For the CLI, which names them from here; the package's entry exports them from their own modules.
export type { OutcomeExportSummary, OutcomeQuery };

// The export pipeline (record formats, analysis, HTML report, CSV writer, outbox dispatcher) and
// luxon are imported at first use, not with this file: every client builds this group, and most
// never export.

/** `verify`'s params: the export, the compliance hash it should have, and (optionally) its format. */
export interface OutcomeVerifyParams {
  /** An NDJSON or CSV export, a Parquet dataset directory, or one part or partition of it. */
  file: string;
  /** The compliance hash the export recorded (its summary, the audit log): 64 hex digits. */
  hash: string;
  /** Default: from the extension (`.csv`, `.parquet`), parquet for a directory, else ndjson. */
  format?: ExportFormat;
}

/** `verify`'s answer when the file's records cannot be read as an outcomes export. */
export interface NotAnExport {
  ok: false;
  file: string;
  /** What is wrong with the file (e.g. `line 1 is not JSON`). */
  error: string;
}

/** `verify`'s answer: the records hashed again and compared, or why the file is no export. */
export type OutcomeVerification = ExportVerification | NotAnExport;

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
  /**
   * Recomputes an export's compliance hash (streamed: any size in constant memory) and compares
   * it with `params.hash`: `ok` true when they match, else the hash found. A file whose records
   * cannot be read as an export answers `ok: false` with the `error`. Local work: nothing is sent.
   * Bad input is an InputError naming `file`, `hash` or `format`.
   */
  verify(params: OutcomeVerifyParams, options?: RequestOptions): Promise<OutcomeVerification>;
}

const FORMATS: readonly string[] = ["ndjson", "csv", "parquet"];

/** `verify`'s params, each checked (every problem at once, as an InputError naming the fields). */
function verifyParamsOf(params: OutcomeVerifyParams): OutcomeVerifyParams {
  const given = paramsOf(params) as Partial<Record<keyof OutcomeVerifyParams, unknown>>;
  const { file, hash, format } = given;
  const problems: InputProblem[] = [];
  const named = typeof file === "string" && file !== "";
  if (!named) problems.push({ field: "file", rule: "is required" });
  if (typeof hash !== "string" || hash === "") problems.push({ field: "hash", rule: "is required" });
  else if (!/^[0-9a-fA-F]{64}$/.test(hash))
    problems.push({ field: "hash", rule: "must be a SHA-256 hex digest (64 hex characters)" });
  if (named && (!existsSync(file) || !(statSync(file).isFile() || statSync(file).isDirectory())))
    problems.push({ field: "file", rule: `${file} is not a readable file or dataset directory` });
  if (format !== undefined && !FORMATS.includes(format as string))
    problems.push({ field: "format", rule: `must be one of ${FORMATS.join(", ")}` });
  if (problems.length > 0) throw new InputError(problems);
  return given as OutcomeVerifyParams;
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
    verify: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const { file, hash, format } = verifyParamsOf(params);
        const [{ verifyExport }, { ExportFileFormatError }] = await Promise.all([
          import("../outcomes/verify.ts"),
          import("../outcomes/read-export.ts"),
        ]);
        try {
          return await verifyExport(file, hash, format, signal);
        } catch (error) {
          if (!(error instanceof ExportFileFormatError)) throw error;
          return { ok: false, file, error: error.message };
        }
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
