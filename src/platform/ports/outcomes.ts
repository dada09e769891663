import type { Paginated } from "../../core/http/pagination.ts";
import type {
  CallPage,
  CallQuery,
  ChangedCallsEnd,
  ChangedCallsPage,
  ChangedCallsQuery,
  OutboundCall,
} from "../types.ts";

/** Seed 004: call outcome records. */
export interface OutcomesPort {
  /** Call records of a campaign in [from, to), page by page, in constant memory. */
  listCalls(query: CallQuery, signal?: AbortSignal): Paginated<OutboundCall>;
  /**
   * The same listing as pages decoded on demand (one record object alive at a time, not a
   * page of them): for exports of millions of records. Read each page before asking for the
   * page after next.
   */
  callPages(query: CallQuery, signal?: AbortSignal): AsyncGenerator<CallPage>;
  /**
   * The incremental listing: the campaign's calls whose record was created or changed at or
   * after `updatedSince`, oldest change first, ending with whether the platform said "no
   * change" and its time of the listing (the next listing's starting point). Production
   * platform only (`support.unsupported("outcomes.changedCalls")`): the seed API filters
   * outcomes by start time alone.
   */
  changedCalls(query: ChangedCallsQuery, signal?: AbortSignal): AsyncGenerator<OutboundCall, ChangedCallsEnd>;
  /**
   * The same listing a page at a time, each with where a listing that stops after it starts
   * again: a long read keeps its progress page by page (issue 100 §3). Unsupported where
   * `changedCalls` is.
   */
  changedCallPages(
    query: ChangedCallsQuery,
    signal?: AbortSignal,
  ): AsyncGenerator<ChangedCallsPage, ChangedCallsEnd>;
  /**
   * Every campaign's calls in [from, to) at once (the consent watcher reads every
   * outbound campaign's dispositions, not only those it knows). The seed API's listing without a
   * campaign; absent where the platform has `changedCalls` (tenant-wide without a campaign).
   */
  tenantCalls?(query: Omit<CallQuery, "campaignId">, signal?: AbortSignal): Paginated<OutboundCall>;
  /**
   * Throws when `campaignId` names no campaign the listing can read (malformed, unknown, not a
   * campaign), before an export writes anything; the listing then reads without asking again.
   * Absent where the listing itself is the only way to know.
   */
  checkCampaign?(campaignId: string, signal?: AbortSignal): Promise<void>;
}
