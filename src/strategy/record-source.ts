import { InputError } from "../core/input-error.ts";
import type { InstantInput } from "../core/instant-input.ts";
import { needClient } from "../core/params.ts";
import type { OutcomeRecord } from "./types.ts";

/** An outcomes export read from its file: NDJSON, CSV or Parquet, as `cxo outcomes export` writes it. */
export interface OutcomeFileSource {
  file: string;
}

/** A campaign's outcomes of a window (`from` inclusive, `to` exclusive), read from CXone through the client's `outcomes.list`. */
export interface CampaignOutcomesSource {
  campaignId: string;
  /** ISO 8601 with an offset, or a Date; within the last 90 days (`outcomes.list`'s rules). */
  from: InstantInput;
  to: InstantInput;
}

/**
 * Where `strategy.learn` and `strategy.evaluate` read outcome records: records (an iterable or
 * async iterable, in `cxo outcomes export`'s record format), an export's file (`{ file }`), or a
 * campaign's outcomes from CXone (`{ campaignId, from, to }`).
 */
export type OutcomeRecordsSource =
  | AsyncIterable<OutcomeRecord>
  | Iterable<OutcomeRecord>
  | OutcomeFileSource
  | CampaignOutcomesSource;

/** The client's outcome listing (`outcomes.list`), as a source `{ campaignId, from, to }` is read through. */
export type OutcomeListing = (
  query: { campaignId: string; from: InstantInput; to: InstantInput },
  options: { signal?: AbortSignal },
) => AsyncIterable<{ raw: Record<string, unknown> }>;

export const isIterable = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function" ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] === "function");

/** The source's campaign query, when it is one (`{ campaignId, … }`). */
export function campaignSourceOf(source: unknown): CampaignOutcomesSource | undefined {
  if (typeof source !== "object" || source === null || isIterable(source) || !("campaignId" in source))
    return undefined;
  return source as CampaignOutcomesSource;
}

/**
 * The records of a source, read as they are iterated: a file with `readOutcomeRecords` (its
 * problems name `field`), a campaign through `listing` (its query's problems name the query's
 * fields), records as given. Undefined when the source is none of them.
 */
export async function recordsOfSource(
  source: unknown,
  field: string,
  listing: OutcomeListing | undefined,
  signal: AbortSignal | undefined,
): Promise<AsyncIterable<OutcomeRecord> | Iterable<OutcomeRecord> | undefined> {
  if (isIterable(source)) return source as AsyncIterable<OutcomeRecord> | Iterable<OutcomeRecord>;
  if (typeof source !== "object" || source === null) return undefined;
  if ("file" in source) {
    const file = (source as { file: unknown }).file;
    if (typeof file !== "string" || file === "")
      throw new InputError({
        field,
        rule: "file must be the path of an outcomes export (NDJSON, CSV or Parquet)",
      });
    const { readOutcomeRecords } = await import("./files.ts");
    return readOutcomeRecords(file, field, signal);
  }
  const campaign = campaignSourceOf(source);
  if (!campaign) return undefined;
  const list = needClient(
    listing,
    "outcomes given as { campaignId, from, to } are read from CXone: they need a client (createClient)",
  );
  const { canonicalRecord } = await import("../outcomes/record-format.ts");
  const query = { campaignId: campaign.campaignId, from: campaign.from, to: campaign.to };
  return (async function* (): AsyncIterable<OutcomeRecord> {
    for await (const call of list(query, signal ? { signal } : {})) yield canonicalRecord(call.raw);
  })();
}
