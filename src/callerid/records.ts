import { agentOn } from "../core/call-agent.ts";
import { InputError } from "../core/input-error.ts";
import type { CallTally } from "./tally.ts";

/** E.164: a plus, a non-zero digit, 7 to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** The fields of an outcome record (canonical: `outcomes export`'s NDJSON/CSV, or the port's raw) the check reads. */
export interface HealthRecord {
  callerId?: unknown;
  campaignId?: unknown;
  startTime?: unknown;
  agentId?: unknown;
  extra?: unknown;
  [field: string]: unknown;
}

/** Which records are counted, and how. */
export interface ReadOptions {
  carrierColumn?: string | undefined;
  fromMs?: number;
  toMs?: number;
  campaign?: string;
  /** The strategy model's pattern at a call's local slot (check.ts callShapeOf): HourCount.shape. */
  shapeOf?: (atMs: number, phone: unknown) => number;
}

/** How `cxo callerid health` found the records: what it counted and what it skipped. */
export interface ReadCounts {
  records: number;
  withoutCallerId: number;
  withoutCarrier: number;
  /** Records before `fromMs` or from `toMs` on: in the history, in no row's calls. */
  outsideWindow: number;
}

export const NO_CALLER_ID_RULE =
  "no record carries a caller id. Export the outcomes again with this version (`cxo outcomes export`: production records carry `fromAddress` as `callerId`); on the seed API, a server that does not send `callerId` (the emulator does) needs the column added to the history file, or a `dataset` with a caller_id column";

/**
 * An answered call is one an agent talked on (`agentId` set): the platform's own record of a
 * conversation, the same test the contact strategy uses, on both platforms (a no-answer, busy or
 * machine disposition has no agent).
 */
export const answeredOf = (record: HealthRecord): boolean => agentOn(record.agentId);

/** The carrier of a record: a top-level field of that name, else `extra[name]`. */
function carrierOf(record: HealthRecord, column: string): string | undefined {
  const direct = record[column];
  const value =
    direct !== undefined && direct !== null
      ? direct
      : typeof record.extra === "object" && record.extra !== null
        ? (record.extra as Record<string, unknown>)[column]
        : undefined;
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

/**
 * Counts records into the tally, checking each: a caller id that is not E.164 is an InputError
 * naming the record (row n, `callerId`); a record without one is skipped and counted. At the
 * end, no caller id at all, or a carrier column no record has, is an InputError.
 */
export async function tallyRecords(
  records: AsyncIterable<HealthRecord> | Iterable<HealthRecord>,
  tally: CallTally,
  options: ReadOptions,
): Promise<ReadCounts> {
  const counts: ReadCounts = { records: 0, withoutCallerId: 0, withoutCarrier: 0, outsideWindow: 0 };
  let row = 0;
  let carriers = 0;
  for await (const record of records) {
    row += 1;
    const atMs = typeof record.startTime === "string" ? Date.parse(record.startTime) : Number.NaN;
    if (!Number.isFinite(atMs)) continue;
    if (
      (options.fromMs !== undefined && atMs < options.fromMs) ||
      (options.toMs !== undefined && atMs >= options.toMs)
    ) {
      counts.outsideWindow += 1;
      continue;
    }
    const campaignId = String(record.campaignId ?? "");
    if (options.campaign !== undefined && campaignId !== options.campaign) continue;
    counts.records += 1;
    const callerId = record.callerId;
    if (callerId === undefined || callerId === null || callerId === "") {
      counts.withoutCallerId += 1;
      continue;
    }
    if (typeof callerId !== "string" || !E164.test(callerId))
      throw new InputError({
        field: "callerId",
        row,
        rule: `must be E.164 (+ and 8 to 15 digits, e.g. +18005550100), got ${JSON.stringify(callerId)}`,
      });
    let carrier: string | undefined;
    if (options.carrierColumn !== undefined) {
      carrier = carrierOf(record, options.carrierColumn);
      if (carrier === undefined) counts.withoutCarrier += 1;
      else carriers += 1;
    }
    tally.add({
      callerId,
      campaignId,
      atMs,
      answered: answeredOf(record),
      carrier: carrier ?? (options.carrierColumn ? "unknown" : undefined),
      ...(options.shapeOf ? { shape: options.shapeOf(atMs, record.phoneNumber) } : {}),
    });
  }
  if (counts.records > 0 && counts.withoutCallerId === counts.records)
    throw new InputError({ field: "callerId", rule: NO_CALLER_ID_RULE });
  if (options.carrierColumn !== undefined && counts.records > counts.withoutCallerId && carriers === 0)
    throw new InputError({
      field: "carrierColumn",
      rule: `no record has a field or extra field named ${JSON.stringify(options.carrierColumn)} (the terminating carrier of the called number)`,
    });
  return counts;
}
