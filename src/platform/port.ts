import type { Paginated } from "../core/http/pagination.ts";
import type { AccessInfo, CallQuery, DispositionMatrix, OutboundCall } from "./types.ts";

/**
 * The port: everything the capabilities need from CXone, as typed functions grouped by
 * capability. Capabilities depend on this interface only — never on URLs or HTTP — so an
 * adapter for NICE's production API can be added beside `seed-api/` without touching them.
 * Failures are the typed errors of core/http (ValidationError, ConflictError, …).
 */
export interface CxonePort {
  readonly access: {
    /** Obtains (or reuses) a token and says what it grants. */
    describe(signal?: AbortSignal): Promise<AccessInfo>;
  };
  readonly dispositions: {
    /** Seed 000: the campaign's disposition codes and their reason codes. */
    getMatrix(campaignId: string, signal?: AbortSignal): Promise<DispositionMatrix>;
  };
  readonly outcomes: {
    /** Seed 004: call records of a campaign in [from, to), page by page, in constant memory. */
    listCalls(query: CallQuery, signal?: AbortSignal): Paginated<OutboundCall>;
  };
}
