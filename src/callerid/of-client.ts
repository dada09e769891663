import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { type InstantInput, instantInputMs } from "../core/instant-input.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { HealthSource } from "./check.ts";
import type { HealthRecord } from "./records.ts";
import type { CallerIdHealthRow } from "./types.ts";
/**
 * Caller-ID health, SDK group `callerId`: which of a campaign's outbound numbers
 * carriers have started labelling ("Spam Likely"), seen from outcomes alone. Reads only: nothing
 * is sent to CXone but the outcome listing (and nothing at all from a file or a dataset).
 */
export interface CallerIdHealthParams {
  /** The campaign (production: the skill id) whose numbers are compared. Required unless `history` or `dataset` is given (then it filters). */
  campaign?: string;
  /** Window, ISO 8601 with an offset, or a Date. Default: the 21 days up to now. */
  from?: InstantInput;
  to?: InstantInput;
  /** An outcomes export file as `cxo outcomes export` writes it (NDJSON, CSV or Parquet; the format from the extension or the content), streamed. */
  history?: string;
  /** A Parquet outcomes dataset directory (`cxo outcomes export --out DIR/`), read with DuckDB. */
  dataset?: string;
  /** A field (or `extra` field, or dataset column) naming the called number's terminating carrier: each number is tested per carrier. */
  carrierColumn?: string;
  /** False `suspect` verdicts per number per 21 days, in (0, 0.5]. Default 0.01. */
  falseAlarmRate?: number;
  /** A CSV file `callerId,pool`: numbers sharing a registration or CNAM, tested as one. */
  pools?: string;
  /** A contact strategy model file (`cxo strategy learn`): the hour-of-week shape of a number without peers. */
  model?: string;
  /**
   * Told, once the records are read, of those in no row's `calls`: records without a caller id
   * (no number to put them on) and, from a history file, records outside `from`/`to`. With a
   * row's `evidence.callsCounted`, this is why a number's `calls` can differ from its count in a
   * history (the CLI prints it on stderr).
   */
  onRead?: (read: { records: number; withoutCallerId: number; outsideWindow: number }) => void;
}

const DAY_MS = 86_400_000;
/** The default window: the calibration's own horizon. */
const DEFAULT_DAYS = 21;

/** `from`/`to`: text by the one rule or a valid Date (core/instant-input.ts). */
const timeOf = (value: unknown, field: string): number | undefined => instantInputMs(value, field);

/**
 * Caller-ID health for a client: the source of outcomes assembled (a history file, a Parquet
 * dataset, or the campaign's outcomes read through the client's port) after every check that
 * needs no data, then the check run over it. Without a client (`context` undefined) a file or
 * a dataset is read, and the campaign's own outcomes are refused.
 */
export async function callerIdHealthOfClient(
  context: ClientContext | undefined,
  p: CallerIdHealthParams,
  signal: AbortSignal | undefined,
): Promise<CallerIdHealthRow[]> {
  const sources = [p.history, p.dataset].filter((s) => s !== undefined).length;
  if (sources > 1) throw new InputError({ field: "history", rule: "give one of history and dataset" });
  if (sources === 0 && (typeof p.campaign !== "string" || p.campaign === ""))
    throw new InputError({ field: "campaign", rule: "is required (or give history or dataset)" });
  const toMs = timeOf(p.to, "to");
  const fromMs = timeOf(p.from, "from");
  const [{ checkHealthOptions, runHealthCheck }, files] = await Promise.all([
    import("./check.ts"),
    import("../strategy/files.ts"),
  ]);
  const window =
    sources === 0
      ? {
          toMs: toMs ?? clockNowMs(),
          fromMs: fromMs ?? (toMs ?? clockNowMs()) - DEFAULT_DAYS * DAY_MS,
        }
      : { ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}) };
  const checks = {
    carrierColumn: p.carrierColumn,
    falseAlarmRate: p.falseAlarmRate,
    campaign: p.campaign,
    ...window,
  };
  // Every check that needs no data runs before anything is read or sent.
  checkHealthOptions(checks);
  if (p.campaign !== undefined) context?.port.support.checkId?.("campaign", p.campaign, "campaign");
  const pools =
    p.pools === undefined ? undefined : await (await import("./pools-file.ts")).readPoolsFile(p.pools);
  const model = p.model === undefined ? undefined : files.readModel(p.model, "model");
  let source: HealthSource;
  if (p.dataset !== undefined) source = { kind: "dataset", dir: p.dataset };
  else if (p.history !== undefined) {
    if (!(await import("node:fs")).existsSync(p.history))
      throw new InputError({ field: "history", rule: `file ${p.history} does not exist` });
    source = {
      kind: "records",
      records: files.readOutcomeRecords(p.history, "history", signal) as AsyncIterable<HealthRecord>,
    };
  } else {
    if (!context) throw new TypeError("callerId.health: a campaign's outcomes are read through a client");
    const { canonicalRecord } = await import("../outcomes/record-format.ts");
    const listing = context.port.outcomes.listCalls(
      {
        campaignId: p.campaign as string,
        from: new Date(window.fromMs as number).toISOString(),
        to: new Date(window.toMs as number).toISOString(),
      },
      signal,
    );
    source = {
      kind: "records",
      records: (async function* () {
        for await (const call of listing) yield canonicalRecord(call.raw) as unknown as HealthRecord;
      })(),
    };
  }
  const result = await runHealthCheck(source, { ...checks, pools, model }, signal);
  p.onRead?.({
    records: result.records,
    withoutCallerId: result.withoutCallerId,
    outsideWindow: result.outsideWindow,
  });
  return result.rows;
}
