import { createDispatcher } from "../core/outbox/index.ts";
import { DEFAULT_DISPOSITION_MAP, type DispositionMap } from "../outcomes/disposition-map.ts";
import { type ExportProgress, type ExportSummary, exportOutcomes } from "../outcomes/export.ts";
import { type ExportQueryInput, parseExportQuery } from "../outcomes/query.ts";
import type { ExportFormat } from "../outcomes/read-export.ts";
import { type ClientRuntime, requestSignal } from "./runtime.ts";

/** Which records: a campaign's calls that started in [from, to). */
export interface OutcomeQuery {
  campaignId: string;
  /** ISO 8601 (with a zone, or read in `tz`) or a Date; within the last 90 days. */
  from: string | Date;
  to: string | Date;
  /** Only these disposition codes. */
  codes?: string[];
  /** Records per request, 1–5000 (default 5000). */
  pageSize?: number;
  /** IANA zone for date-times without an offset and for the day/hour breakdowns. */
  tz?: string;
}

export interface OutcomeExportOptions {
  /** The output file (NDJSON or CSV). */
  out: string;
  format?: ExportFormat;
  /** Disposition → category map; default: the seed's map. */
  map?: DispositionMap;
  /** Also write a self-contained HTML report here. */
  report?: string;
  /** Continue the interrupted export of the same query and file. */
  resume?: boolean;
  /**
   * Send the summary to this outbox destination (e.g. `crm`, from the client's `destinations`):
   * queued in the same transaction as the audit record, then delivered for up to `waitMs`
   * (default 10 s; the outbox retries later what is not delivered by then).
   */
  crm?: { destination: string; waitMs?: number };
  onProgress?: (progress: ExportProgress) => void;
  /** Stops the export (resumable with `resume: true`); rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Stops the export after this many milliseconds, as `signal` would. */
  deadlineMs?: number;
}

/** The export's summary; `crm.delivered` tells whether the summary reached the destination yet. */
export type OutcomeExportSummary = Omit<ExportSummary, "crm"> & {
  crm: { destination: string; queued: boolean; delivered: boolean } | null;
};

export interface OutcomesGroup {
  /**
   * Streams the records to `out` in constant memory with conversion analysis and a compliance
   * hash; resumable after an interruption. Query problems are an InputError naming the query's
   * field (`campaignId`, `from`, …); nothing is sent.
   */
  export(query: OutcomeQuery, options: OutcomeExportOptions): Promise<OutcomeExportSummary>;
}

/** How long an export waits for the CRM webhook before leaving it to the outbox's retries. */
const CRM_DELIVERY_WAIT_MS = 10_000;

const iso = (value: string | Date) => (value instanceof Date ? value.toISOString() : value);

export function outcomesGroup(runtime: ClientRuntime): OutcomesGroup {
  return {
    async export(query, options) {
      const input: ExportQueryInput = {
        campaign: query.campaignId,
        from: iso(query.from),
        to: iso(query.to),
        codes: query.codes?.join(","),
        pageSize: query.pageSize === undefined ? undefined : String(query.pageSize),
        tz: query.tz,
      };
      const parsed = parseExportQuery(input);
      const signal = requestSignal(options);
      const store = await runtime.store();
      // A `cxo serve` or another export of this tenant on this store gets its share of the limit.
      const summary = await runtime.withRateShare(["outcomes"], () =>
        exportOutcomes({
          client: runtime.port,
          store,
          query: parsed,
          out: options.out,
          format: options.format ?? "ndjson",
          map: options.map ?? DEFAULT_DISPOSITION_MAP,
          ...(options.report ? { report: options.report } : {}),
          resume: options.resume === true,
          ...(options.crm ? { crmDestination: options.crm.destination } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(signal ? { signal } : {}),
        }),
      );
      if (!summary.crm) return { ...summary, crm: null };
      const dispatcher = createDispatcher(store.outbox, {
        destinations: runtime.destinations,
        ...(runtime.logger ? { logger: runtime.logger } : {}),
      });
      try {
        const report = await dispatcher.deliverDue({
          timeoutMs: options.crm?.waitMs ?? CRM_DELIVERY_WAIT_MS,
        });
        return { ...summary, crm: { ...summary.crm, delivered: report.delivered > 0 } };
      } finally {
        await dispatcher.stop();
      }
    },
  };
}
