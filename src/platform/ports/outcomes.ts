import type { Paginated } from "../../core/http/pagination.ts";
import type { CallPage, CallQuery, OutboundCall } from "../types.ts";

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
}
