import type { Paginated } from "../../core/http/pagination.ts";
import type { CallQuery, OutboundCall } from "../types.ts";

/** Seed 004: call outcome records. */
export interface OutcomesPort {
  /** Call records of a campaign in [from, to), page by page, in constant memory. */
  listCalls(query: CallQuery, signal?: AbortSignal): Paginated<OutboundCall>;
}
