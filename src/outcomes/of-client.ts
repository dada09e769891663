import { clockNowMs } from "../core/clock/now.ts";
import type { DestinationSettings } from "../core/config/schema.ts";
import type { EndpointGroup } from "../core/http/group-names.ts";
import { isId } from "../core/ids.ts";
import { checkWholeNumber, InputError } from "../core/input-error.ts";
import { type InstantInput, instantInputText } from "../core/instant-input.ts";
import { lazyModule } from "../core/lazy-module.ts";
import type { Store } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { ChangesExportSummary } from "./changes.ts";
import { changesQueryProblems } from "./changes-query.ts";
import type { DispositionMap } from "./disposition-map.ts";
import type { ExportProgress, ExportSummary } from "./export.ts";
import { exportQueryInput, type OutcomeQuery } from "./list-calls.ts";
import type { ExportQuery } from "./query.ts";
import type { ExportFormat } from "./read-export.ts";
import type { tsrForCampaign } from "./record-format.ts";

// Loaded on first use, once (lazy-module.ts): the functions below call these every time.
const loadOutcomesQuery = lazyModule(() => import("./query.ts"));
const loadOutcomesChanges = lazyModule(() => import("./changes.ts"));
const loadOutcomesDispositionMap = lazyModule(() => import("./disposition-map.ts"));
const loadLuxon = lazyModule(() => import("luxon"));
const loadOutcomesExport = lazyModule(() => import("./export.ts"));
const loadOutcomesRecordFormat = lazyModule(() => import("./record-format.ts"));
const loadCoreSafeWrite = lazyModule(() => import("../core/safe-write.ts"));
const loadOutcomesExportTargets = lazyModule(() => import("./export-targets.ts"));
const loadOutcomesExportTarget = lazyModule(() => import("./export-target.ts"));
const loadCoreOutboxIndex = lazyModule(() => import("../core/outbox/index.ts"));

/**
 * A client as the exports see it: its context, its share of the tenant's rate limits across the
 * processes using its store, its outbox destinations and its TSR fields.
 */
export interface OutcomesClient extends ClientContext {
  withRateShare<T>(groups: readonly EndpointGroup[], work: () => Promise<T>): Promise<T>;
  readonly destinations: Record<string, DestinationSettings>;
  readonly tsr: Parameters<typeof tsrForCampaign>[0];
}

/** Where and how `export` writes (its request options, `signal` and `deadlineMs`, stop it). */
export interface OutcomeExportParams {
  /**
   * The output file (NDJSON, CSV or `.parquet`), or a writable stream; a directory (a path
   * ending in `/`) for a partitioned Parquet dataset. A file is written as `<out>.partial` and renamed when the export completes, so a
   * failed or stopped run never destroys a finished export. A stream receives the records as
   * they come and is ended when the export completes; it cannot be resumed.
   */
  out: string | NodeJS.WritableStream;
  /**
   * `ndjson`, `csv`, or `parquet`: into a directory, a hive-partitioned dataset
   * `out/campaign=ID/date=YYYY-MM-DD/part-NNNNN.parquet`; into a path ending in `.parquet`, one
   * Parquet file with the same columns (docs/outcomes.md has the schema); either with the same
   * compliance hash as the NDJSON file of the same window. Default: what `out` names (`.parquet`,
   * `.csv`, `.ndjson`, a directory), else `ndjson`; a format that contradicts `out` is an
   * InputError naming both.
   */
  format?: ExportFormat;
  /** Disposition → category map; default: the seed's map. */
  map?: DispositionMap;
  /** Also write a self-contained HTML report here. */
  report?: string;
  /** Continue the interrupted export of the same query and file. */
  resume?: boolean;
  /**
   * Replace an existing `out` (or `report`) that is not an export (an HTML report) cxo wrote.
   * A symbolic link, a directory or a device is always refused (InputError), whatever this says.
   */
  replace?: boolean;
  /** The mode of the files written (default 0o600, owner only: records are personal data). */
  fileMode?: number;
  /**
   * Send the summary to this outbox destination (e.g. `crm`, from the client's `destinations`):
   * queued in the same transaction as the audit record, then delivered for up to `waitMs`
   * (default 10 s; the outbox retries later what is not delivered by then).
   */
  crm?: { destination: string; waitMs?: number };
  onProgress?: (progress: ExportProgress) => void;
}

/** The export's summary; `crm.delivered` tells whether the summary reached the destination yet. */
export type OutcomeExportSummary = Omit<ExportSummary, "crm"> & {
  crm: { destination: string; queued: boolean; delivered: boolean } | null;
  /** What the caller should know about the records (a window ending inside the platform's warehouse lag). */
  warnings?: string[];
};

/** The production platform's completed contacts appear up to 30 minutes after they start (DX). */
export const WAREHOUSE_LAG_MS = 30 * 60_000;

/** Which records of an incremental export: what changed since a point, or since the last run. */
export interface OutcomeChangesQuery {
  campaignId: string;
  /**
   * Start at this instant (ISO 8601 with a zone, or a Date): calls whose record was created or
   * changed at or after it. Absent: continue from where this campaign's last incremental export
   * (in this data directory) stopped.
   */
  updatedSince?: InstantInput;
  /** Records per request, 1–5000 (default 5000). */
  pageSize?: number;
  /** IANA zone for the day/hour breakdowns. */
  tz?: string;
}

/** Where and how `exportChanges` writes. */
export interface OutcomeChangesParams {
  /** The output file (NDJSON or CSV), written as `<out>.partial` and renamed when complete. */
  out: string;
  /** `ndjson` (default) or `csv`. */
  format?: "ndjson" | "csv";
  /** Disposition → category map; default: the seed's map. */
  map?: DispositionMap;
  /**
   * How far before CXone's time of this listing the next run starts, in minutes (default 30:
   * CXone's warehouse lag). Changes of that overlap already written are not written again.
   */
  overlapMinutes?: number;
  /**
   * Replace an existing `out` (or `report`) that is not an export (an HTML report) cxo wrote.
   * A symbolic link, a directory or a device is always refused (InputError), whatever this says.
   */
  replace?: boolean;
  /** The mode of the files written (default 0o600, owner only: records are personal data). */
  fileMode?: number;
}

export type OutcomeChangesSummary = ChangesExportSummary;

/** How long an export waits for the CRM webhook before leaving it to the outbox's retries. */
const CRM_DELIVERY_WAIT_MS = 10_000;

/** The export's file options, as the writers take them. */
const fileOptions = (options: { replace?: boolean; fileMode?: number }) => ({
  ...(options.replace ? { replace: true } : {}),
  ...(options.fileMode === undefined ? {} : { fileMode: options.fileMode }),
});

/** A file mode is permission bits only (0o000–0o777): no setuid, setgid or sticky bit. */
function checkFileMode(mode: number | undefined): void {
  checkWholeNumber(mode, "fileMode", [0, 0o777], "must be permission bits, 0o000 to 0o777 (e.g. 0o640)");
}

/** `outcomes.exportChanges`: the incremental export, with this process's share of the outcomes limit. */
export async function changesOfClient(
  client: OutcomesClient,
  query: OutcomeChangesQuery,
  options: OutcomeChangesParams,
  signal: AbortSignal | undefined,
): Promise<OutcomeChangesSummary> {
  const [{ DEFAULT_OVERLAP_MS, exportChanges }, { DEFAULT_DISPOSITION_MAP }, { IANAZone }] =
    await Promise.all([loadOutcomesChanges(), loadOutcomesDispositionMap(), loadLuxon()]);
  const { pageSize, overlapMinutes } = checkChangesQuery(query, options, DEFAULT_OVERLAP_MS, IANAZone);
  const parsedTz = query.tz;
  const store = await client.store();
  const { tsrForCampaign } = await loadOutcomesRecordFormat();
  return client.withRateShare(["outcomes"], () =>
    exportChanges({
      client: client.port,
      store,
      campaignId: query.campaignId,
      ...(query.updatedSince === undefined
        ? {}
        : { updatedSince: instantInputText(query.updatedSince, "updatedSince") }),
      out: options.out,
      format: options.format ?? "ndjson",
      pageSize,
      overlapMs: Math.round(overlapMinutes * 60_000),
      map: options.map ?? DEFAULT_DISPOSITION_MAP,
      ...(parsedTz ? { zone: parsedTz } : {}),
      ...fileOptions(options),
      ...(signal ? { signal } : {}),
      tsr: tsrForCampaign(client.tsr, query.campaignId, client.consent.seller),
    }),
  );
}

/**
 * `outcomes.export`: the records of the query streamed to `out`, with this process's share of the
 * outcomes limit, then the CRM event delivered (waiting at most `crm.waitMs`).
 */
export async function exportOfClient(
  client: OutcomesClient,
  query: OutcomeQuery,
  options: OutcomeExportParams,
  signal: AbortSignal | undefined,
): Promise<OutcomeExportSummary> {
  const [{ parseExportQuery }, { exportOutcomes }, { DEFAULT_DISPOSITION_MAP }] = await Promise.all([
    loadOutcomesQuery(),
    loadOutcomesExport(),
    loadOutcomesDispositionMap(),
  ]);
  const parsed = parseExportQuery(exportQueryInput(query));
  if (options.resume && typeof options.out !== "string")
    throw new InputError({
      field: "resume",
      rule: "needs an `out` file (a stream export cannot be resumed)",
    });
  checkFileMode(options.fileMode);
  // The report's file is checked before the campaign's GET below (a link: nothing sent).
  if (options.report) {
    const [{ checkWriteTarget }, { reportWriteOptions }] = await Promise.all([
      loadCoreSafeWrite(),
      loadOutcomesExportTargets(),
    ]);
    checkWriteTarget(options.report, reportWriteOptions(options));
  }
  // What `out` names decides the format when none is given; a contradiction is bad input.
  const { exportTarget } = await loadOutcomesExportTarget();
  const target = exportTarget(typeof options.out === "string" ? options.out : undefined, options.format);
  // The report names the campaign and, unless a zone was given, shows days and hours in the
  // campaign's own zone (a US campaign's afternoon is not UTC's evening): one GET, report only.
  let campaignName: string | undefined;
  if (options.report) {
    const campaign = await client.port.campaigns.get(parsed.campaignId, signal).catch(() => undefined);
    campaignName = campaign?.name;
    if (
      query.tz === undefined &&
      campaign?.timeZone &&
      (await loadLuxon()).IANAZone.isValidZone(campaign.timeZone)
    )
      parsed.zone = campaign.timeZone;
  }
  const store = await client.store();
  const { tsrForCampaign } = await loadOutcomesRecordFormat();
  // A `cxo serve` or another export of this tenant on this store gets its share of the limit.
  const summary = await client.withRateShare(["outcomes"], () =>
    exportOutcomes({
      client: client.port,
      store,
      query: parsed,
      out: options.out,
      format: target.format,
      map: options.map ?? DEFAULT_DISPOSITION_MAP,
      ...(options.report ? { report: options.report } : {}),
      ...(campaignName ? { campaignName } : {}),
      resume: options.resume === true,
      ...fileOptions(options),
      ...(options.crm ? { crmDestination: options.crm.destination } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(signal ? { signal } : {}),
      tsr: tsrForCampaign(client.tsr, parsed.campaignId, client.consent.seller),
    }),
  );
  const lagging =
    client.port.support.name === "cxone" && Date.parse(parsed.to) > clockNowMs() - WAREHOUSE_LAG_MS;
  const warnings = lagging
    ? [
        `the window ends less than ${WAREHOUSE_LAG_MS / 60_000} minutes ago: CXone's completed contacts appear up to ${WAREHOUSE_LAG_MS / 60_000} minutes late, so its last minutes may be incomplete; export them again later`,
      ]
    : [];
  const withWarnings = (s: OutcomeExportSummary): OutcomeExportSummary =>
    warnings.length > 0 ? { ...s, warnings } : s;
  if (!summary.crm) return withWarnings({ ...summary, crm: null });
  return withWarnings(await deliverToCrm(client, store, { ...summary, crm: summary.crm }, options));
}

/** `exportChanges`' query and params, every problem at once (InputError; nothing sent). */
function checkChangesQuery(
  query: OutcomeChangesQuery,
  options: OutcomeChangesParams,
  defaultOverlapMs: number,
  zones: { isValidZone(zone: string): boolean },
): { pageSize: number; overlapMinutes: number } {
  checkFileMode(options.fileMode);
  const problems: { field: string; rule: string }[] = [];
  if (!isId(query.campaignId)) problems.push({ field: "campaignId", rule: "is required (a campaign id)" });
  const pageSize = query.pageSize ?? 5000;
  const overlapMinutes = options.overlapMinutes ?? defaultOverlapMs / 60_000;
  problems.push(
    ...changesQueryProblems({
      pageSize,
      overlapMinutes,
      format: options.format,
      updatedSince: query.updatedSince,
    }),
  );
  if (query.tz !== undefined && !zones.isValidZone(query.tz))
    problems.push({ field: "tz", rule: "must be an IANA time zone such as America/New_York" });
  if (problems.length > 0) throw new InputError(problems);
  return { pageSize, overlapMinutes };
}

/** Delivers the export's CRM event now (waiting at most `crm.waitMs`), and says whether it went. */
async function deliverToCrm(
  client: OutcomesClient,
  store: Store,
  summary: ExportSummary & { crm: NonNullable<ExportSummary["crm"]> },
  options: OutcomeExportParams,
): Promise<OutcomeExportSummary> {
  const { createDispatcher } = await loadCoreOutboxIndex();
  const dispatcher = createDispatcher(store.outbox, {
    destinations: client.destinations,
    ...(client.logger ? { logger: client.logger } : {}),
  });
  try {
    const report = await dispatcher.deliverDue({
      timeoutMs: options.crm?.waitMs ?? CRM_DELIVERY_WAIT_MS,
    });
    return { ...summary, crm: { ...summary.crm, delivered: report.delivered > 0 } };
  } finally {
    await dispatcher.stop();
  }
}

/**
 * `cxo serve`'s scheduled export (sdk/export-host.ts): the records of `query` to `out`, with the
 * checkpoints and audit in `store` (the service's, not the client's) and the client's TSR fields
 * for the campaign on every record. No rate share of its own: the service's tenant runtime shares
 * the tenant's budget for all of its work.
 */
export async function exportIntoStoreOfClient(
  client: Pick<OutcomesClient, "port" | "tsr" | "consent">,
  store: Store,
  params: { query: ExportQuery; out: string; format: ExportFormat; resume?: boolean },
  signal: AbortSignal | undefined,
): Promise<ExportSummary> {
  const [{ exportOutcomes }, { tsrForCampaign }] = await Promise.all([
    loadOutcomesExport(),
    loadOutcomesRecordFormat(),
  ]);
  const { query, out, format, resume } = params;
  return exportOutcomes({
    client: client.port,
    store,
    query,
    out,
    format,
    ...(resume === undefined ? {} : { resume }),
    ...(signal ? { signal } : {}),
    tsr: tsrForCampaign(client.tsr, query.campaignId, client.consent.seller),
  });
}
