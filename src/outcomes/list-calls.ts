import type { PageInfo } from "../core/http/pagination.ts";
import { type InstantInput, instantInputText } from "../core/instant-input.ts";
import { paramsOf } from "../core/params.ts";
import type { OutcomesPort } from "../platform/ports/outcomes.ts";
import type { OutboundCall } from "../platform/types.ts";
import type { ExportQueryInput } from "./query.ts";

/** Which records: a campaign's calls that started in [from, to). */
export interface OutcomeQuery {
  campaignId: string;
  /** ISO 8601 (with a zone, or read in `tz`) or a Date; within the last 90 days. */
  from: InstantInput;
  to: InstantInput;
  /** Only these disposition codes. */
  codes?: string[];
  /** Records per request, 1–5000 (default 5000). */
  pageSize?: number;
  /** IANA zone for date-times without an offset and for the day/hour breakdowns. */
  tz?: string;
}

/** The outcome query given: an object (InputError naming `query` otherwise). */
export const queryOf = (query: OutcomeQuery): OutcomeQuery => paramsOf(query, "query") as OutcomeQuery;

/** The query as the export's parser takes it (the CLI's flags, as strings). */
export const exportQueryInput = (query: OutcomeQuery): ExportQueryInput => ({
  campaign: query.campaignId,
  from: instantInputText(query.from, "from"),
  to: instantInputText(query.to, "to"),
  codes: query.codes?.join(","),
  pageSize: query.pageSize === undefined ? undefined : String(query.pageSize),
  tz: query.tz,
});

/**
 * A campaign's calls of the window, page by page, read through the platform's outcome listing:
 * the query is checked when the first page is asked for (an InputError naming its field; nothing
 * is sent).
 */
export async function* outcomeCallPages(
  port: OutcomesPort,
  query: OutcomeQuery,
  signal: AbortSignal | undefined,
): AsyncGenerator<PageInfo<OutboundCall>> {
  queryOf(query);
  const { parseExportQuery, toCallQuery } = await import("./query.ts");
  const parsed = parseExportQuery(exportQueryInput(query));
  yield* port.listCalls(toCallQuery(parsed), signal).pages();
}

/** The calls of `outcomeCallPages`, one at a time. */
export async function* outcomeCalls(
  port: OutcomesPort,
  query: OutcomeQuery,
  signal: AbortSignal | undefined,
): AsyncGenerator<OutboundCall> {
  for await (const page of outcomeCallPages(port, query, signal)) yield* page.items;
}
