import type { Platform } from "../core/config/schema.ts";
import { NotSupportedError } from "./errors.ts";

/**
 * Port functions a platform may not offer. A caller that must not send anything for an
 * unsupported operation (the CLI, the demo) asks first; the port function itself refuses too.
 */
export type PortOperation =
  | "campaigns.subscribe"
  | "interactions.replaceDispositions"
  | "dialer.auditLog"
  /** Live dial-ratio control from second-level dialer counters (`cxo serve` pacing a campaign). */
  | "dialer.livePacing"
  | "campaigns.listContacts.consentOnly"
  | "outcomes.changedCalls"
  /** Calling lists whose records carry their call time (a plan handed to the dialer). */
  | "lists.timed"
  /** The tenant's own DNC groups (read, search, add a revocation): production only. */
  | "dncGroups"
  /** Callbacks scheduled at a set time outside any list (read, delete, schedule): production only. */
  | "scheduledCallbacks";

export interface PlatformSupport {
  readonly name: Platform;
  /** The refusal calling `operation` would end in (nothing sent), or undefined when supported. */
  unsupported(operation: PortOperation): NotSupportedError | undefined;
  /**
   * Throws an InputError naming `field` when `id` cannot be a `kind` id on this platform (a
   * CXone skill or contact id is a whole number), so a malformed id is refused before anything
   * is sent; absent where any well-formed id may exist.
   */
  checkId?(kind: "campaign" | "call", id: string, field: string): void;
}

/** The seed API lists outcomes by start time only: it has no "changed since" filter. */
export const SEED_CHANGED_CALLS_UNSUPPORTED = {
  platform: "seed",
  operation: "outcomes.changedCalls",
  why: "the seed API lists call outcomes by start time only and has no filter on when a record changed (updatedSince)",
  alternative:
    "export a [from, to) window again (`cxo outcomes export --from … --to …`, or the SDK's outcomes.export); a changed disposition keeps its call's start time",
} as const;

/** The seed API's contact lists are records without a call time, and it reports no per-record attempts. */
export const SEED_TIMED_LISTS_UNSUPPORTED = {
  platform: "seed",
  operation: "strategy.push",
  why: "the seed API has no calling lists whose records carry a call time, nor a list's attempts",
  alternative: "dial from the plan file (each row's attemptAt is its earliest legal time)",
} as const;

/** The seed API has no DNC endpoints: the consent ledger and cxo's internal list apply there. */
export const SEED_DNC_GROUPS_UNSUPPORTED = {
  platform: "seed",
  operation: "dncGroups",
  why: "the seed API has no DNC group endpoints",
  alternative:
    "cxo's consent ledger and internal DNC list apply on this platform (cxo consent revoke, cxo compliance dnc add)",
} as const;

/** The seed API has no scheduled callbacks: nothing is dialled there but what cxo's checks let through. */
export const SEED_SCHEDULED_CALLBACKS_UNSUPPORTED = {
  platform: "seed",
  operation: "scheduledCallbacks",
  why: "the seed API has no scheduled-callback endpoints",
  alternative:
    "the seed API's campaigns dial only their contact lists, which cxo's checks and the consent ledger already cover",
} as const;

export const SEED_SUPPORT: PlatformSupport = {
  name: "seed",
  unsupported: (operation) =>
    operation === "outcomes.changedCalls"
      ? new NotSupportedError(SEED_CHANGED_CALLS_UNSUPPORTED)
      : operation === "lists.timed"
        ? new NotSupportedError(SEED_TIMED_LISTS_UNSUPPORTED)
        : operation === "dncGroups"
          ? new NotSupportedError(SEED_DNC_GROUPS_UNSUPPORTED)
          : operation === "scheduledCallbacks"
            ? new NotSupportedError(SEED_SCHEDULED_CALLBACKS_UNSUPPORTED)
            : undefined,
};
