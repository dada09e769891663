import { InputError } from "../core/input-error.ts";
import { inSignalSlices } from "../core/signal-slices.ts";
import type { Model } from "../strategy/model-format.ts";
import { nanpE164, placeOf, slotAt } from "../strategy/place.ts";
import { checkFalseAlarmRate, DEFAULT_FALSE_ALARM_RATE } from "./calibration.ts";
import { callerIdHealthWithin } from "./health.ts";
import { type HealthRecord, tallyRecords } from "./records.ts";
import { CallTally } from "./tally.ts";
import type { CallerIdHealthRow, HealthOptions } from "./types.ts";

/** Where the records come from, each read into the same counts. */
export type HealthSource =
  | { kind: "records"; records: AsyncIterable<HealthRecord> | Iterable<HealthRecord> }
  | { kind: "dataset"; dir: string };

export interface HealthCheckOptions {
  carrierColumn?: string | undefined;
  falseAlarmRate?: number | undefined;
  /** Number → pool (numbers sharing a registration or CNAM). */
  pools?: ReadonlyMap<string, string> | undefined;
  /** A contact strategy model: its hour-of-week profile shapes a peerless number's expectation. */
  model?: Model | undefined;
  campaign?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

/** The options checked before anything is read (InputError naming the field). */
export function checkHealthOptions(options: HealthCheckOptions): void {
  if (options.falseAlarmRate !== undefined) checkFalseAlarmRate(options.falseAlarmRate);
  if (options.carrierColumn !== undefined && !/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(options.carrierColumn))
    throw new InputError({ field: "carrierColumn", rule: "must be a column name (letters, digits, _ . -)" });
  if (options.fromMs !== undefined && options.toMs !== undefined && options.toMs <= options.fromMs)
    throw new InputError({ field: "to", rule: "must be after from" });
}

/**
 * The strategy model's answer pattern by the called party's local hour of week, relative to its
 * mean, for one call: the campaign level's estimate at the slot of the call's start in the zone
 * of its number (the strategy model's own clock: place.ts), ÷ the slots' mean. A number the
 * phone data does not place (not NANP) is read at its UTC hour of week.
 */
export function callShapeOf(model: Model): (atMs: number, phone: unknown) => number {
  const slots = model.priors.campaign.map((s) => s.estimate);
  const mean = slots.reduce((a, b) => a + b, 0) / Math.max(1, slots.length);
  return (atMs, phone) => {
    const zone = typeof phone === "string" && phone !== "" ? placeOf(nanpE164(phone))?.zones[0] : undefined;
    const d = new Date(atMs);
    const slot = zone !== undefined ? slotAt(atMs, zone) : ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
    const estimate = slots[slot];
    return mean > 0 && estimate !== undefined && estimate > 0 ? estimate / mean : 1;
  };
}

export interface HealthResult {
  rows: CallerIdHealthRow[];
  records: number;
  withoutCallerId: number;
  /** Records outside `fromMs`/`toMs` (a history file's; a dataset is filtered in its query: 0). */
  outsideWindow: number;
  falseAlarmRate: number;
}

/**
 * Reads the source into counts, then tests every number. With a signal (an SDK call's), both stop
 * with its reason once it is aborted (issue 80 §2: a 1.5M-record file once ran 13 s past its
 * deadline): the records are read, and the numbers tested, in slices between turns of the event loop.
 */
export async function runHealthCheck(
  source: HealthSource,
  options: HealthCheckOptions,
  signal?: AbortSignal,
): Promise<HealthResult> {
  checkHealthOptions(options);
  const pools = options.pools;
  const tally = new CallTally(pools ? (n) => pools.get(n) : undefined);
  const read = {
    carrierColumn: options.carrierColumn,
    ...(options.model ? { shapeOf: callShapeOf(options.model) } : {}),
    ...(options.fromMs !== undefined ? { fromMs: options.fromMs } : {}),
    ...(options.toMs !== undefined ? { toMs: options.toMs } : {}),
    ...(options.campaign !== undefined ? { campaign: options.campaign } : {}),
  };
  const counts =
    source.kind === "dataset"
      ? await (await import("./dataset.ts")).tallyDataset(source.dir, tally, read, signal)
      : await tallyRecords(inSignalSlices(source.records, signal), tally, read);
  const falseAlarmRate = options.falseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE;
  const health: HealthOptions = { falseAlarmRate };
  return {
    rows: await callerIdHealthWithin(tally.result(), health, signal),
    records: counts.records,
    withoutCallerId: counts.withoutCallerId,
    outsideWindow: "outsideWindow" in counts ? (counts.outsideWindow as number) : 0,
    falseAlarmRate,
  };
}
