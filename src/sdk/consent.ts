import {
  type ConsentImportResult,
  type ConsentRevokeResult,
  decideIn,
  importIn,
  revokeIn,
} from "../compliance/revocation-intake.ts";
import type { ConsentReport } from "../compliance/revocation-report.ts";
import type { ConsentReportParams } from "../compliance/revocation-report-of-client.ts";
import type { CallbackSweep } from "../compliance/revoked-callbacks.ts";
import {
  type ConsentBook,
  type ConsentImportParams,
  type ConsentRevokeParams,
  grantIn,
} from "../consent/book.ts";
import { bookOfClient, honourOfClient } from "../consent/client-book.ts";
import { type ConsentCoverage, consentCoverage } from "../consent/client-coverage.ts";
import type { HonourSummary } from "../consent/honour.ts";
import { runCall } from "./call.ts";

export type {
  ConsentImportParams,
  ConsentImportResult,
  ConsentReportParams,
  ConsentRevokeParams,
  ConsentRevokeResult,
};

import { clockNowMs } from "../core/clock/now.ts";
import type { InstantInput } from "../core/instant-input.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";
/**
 * The consent ledger, SDK group `consent`: record revocations whatever channel they
 * came by, honour them (cxo refuses the number at once; on the production platform they are also
 * added to the tenant's CXone DNC group, `consent.cxoneDncGroup`), and report on them.
 */
export interface ConsentGroup {
  revoke(params: ConsentRevokeParams, options?: RequestOptions): Promise<ConsentRevokeResult>;
  import(params: ConsentImportParams, options?: RequestOptions): Promise<ConsentImportResult>;
  report(params?: ConsentReportParams, options?: RequestOptions): Promise<ConsentReport>;
  /**
   * The DNC half of honouring the ledger: sends the entries still pending to the tenant's CXone
   * DNC group (`consent.cxoneDncGroup`) and each campaign-scoped skill's own group, after reading
   * the agents' do-not-call dispositions since the last read, and first finishes in the stores the
   * scope-`all` fan-outs to the seller's other units. Undefined when no group is configured and
   * there was nothing to fan out (`noGroup: true` when there was). Without a connection only the
   * local part runs: `notSent` names the missing setting and what waits.
   *
   * It does not touch CXone's scheduled callbacks: a pending callback to a number that revoked
   * consent is still dialled until `cancelCallbacks()` deletes it. `cxo consent honour`, the
   * autopilot and `cxo serve` run both; call `cancelCallbacks()` after this method to do the same.
   */
  honour(options?: RequestOptions): Promise<HonourSummary | undefined>;
  /**
   * Whether every revocation can reach CXone's dialer, asked of CXone: the consent
   * group must scrub every skill cxo pushed lists to, and each campaign-scoped skill's own group
   * must scrub it. `gaps` empty: covered.
   */
  coverage(options?: RequestOptions): Promise<ConsentCoverage>;
  /**
   * Deletes every pending CXone scheduled callback to a number that revoked consent within the
   * callback's skill (each deletion journaled and audited); a deletion CXone refuses stays in
   * `failed` and is tried again by the next call (and by `cxo serve`). Undefined on a platform
   * without scheduled callbacks.
   */
  cancelCallbacks(options?: RequestOptions): Promise<CallbackSweep | undefined>;
  /**
   * Messages whose words a person has to read (a negation, a question, a keyword in
   * other words, another language), oldest first, each overdue once past the deadline a
   * revocation received then would have; `all` includes those decided.
   */
  review(params?: { all?: boolean }, options?: RequestOptions): Promise<ReviewView[]>;
  /**
   * A person's decision on a message in review: `revocation` records it (at the message's
   * instant, channel and scope) and honours it like any other; `not-revocation` closes it. Both audited.
   */
  decide(
    params: { id: string; as: "revocation" | "not-revocation" },
    options?: RequestOptions,
  ): Promise<{ item: ReviewItem; revocation?: ConsentRevokeResult }>;
  /**
   * Records a grant of consent: `phone` and/or `account`, `purpose` (one or more of
   * telemarketing, informational, collections), `written` (boolean), `aiDisclosed`, `at`, `source`.
   * A check of a prerecorded or AI call reads the newest grant for its purpose. Bad input is an
   * InputError naming the field, nothing recorded.
   */
  grant(params: ConsentGrantParams, options?: RequestOptions): Promise<Grant>;
}

export interface ConsentGrantParams {
  phone?: string;
  account?: string;
  purpose: Purpose | Purpose[];
  written: boolean;
  aiDisclosed?: boolean;
  /** When the consent was given (default now): ISO 8601 with a zone, or a Date (InstantInput); not in the future. */
  at?: InstantInput;
  source?: string;
}

type ReviewItem = import("../consent/review-queue.ts").ReviewItem;
type Grant = import("../consent/grants.ts").Grant;
type Purpose = import("../consent/grants.ts").Purpose;
type ReviewView = import("../consent/review-queue.ts").ReviewView;

export function consentGroup(runtime: ClientRuntime): ConsentGroup {
  return {
    revoke: (params, options) =>
      runCall(runtime, options, (signal) => revokeIn(bookOf(runtime), params, signal)),
    import: (params, options) =>
      runCall(runtime, options, (signal) => importIn(bookOf(runtime), params, signal)),
    report: (params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../compliance/revocation-report-of-client.ts")).consentReportOf(
          runtime,
          bookOf(runtime),
          params,
          // The lists cxo pushed, handed in: compliance does not read strategy/.
          async () => (await import("../core/store/pushed-lists.ts")).pushedLists(await runtime.store()),
          signal,
        ),
      ),
    honour: (options) =>
      runCall(runtime, options, (signal) => honourOfClient(runtime, bookOf(runtime), signal)),
    coverage: (options) => runCall(runtime, options, (signal) => consentCoverage(runtime, [], signal)),
    cancelCallbacks: (options) =>
      runCall(runtime, options, async (signal) => {
        const { sweepRevokedCallbacks } = await import("../compliance/revoked-callbacks-of-client.ts");
        return sweepRevokedCallbacks(runtime, signal);
      }),
    review: (params, options) =>
      runCall(runtime, options, async () => {
        const { reviewItems } = await import("../consent/review-queue.ts");
        return reviewItems(await runtime.store(), clockNowMs(), params?.all === true);
      }),
    grant: (params, options) =>
      runCall(runtime, options, async () => {
        return grantIn(bookOf(runtime), params);
      }),
    decide: (params, options) =>
      runCall(runtime, options, (signal) => decideIn(bookOf(runtime), params, signal)),
  };
}

/**
 * The client's book (consent/client-book.ts), and for scope `all` the seller's other tenants: an
 * unnamed tenant is the only one; a named tenant's client knows the others only through
 * `consentPeers` (`createTenants`, the CLI).
 */
function bookOf(runtime: ClientRuntime): ConsentBook {
  const consentPeers = runtime.consentPeers;
  const peers =
    runtime.tenant === undefined || consentPeers
      ? async () => {
          if (!consentPeers) return [];
          const { runtimeOf } = await import("./internals.ts");
          return (await consentPeers()).map((peer) => bookOf(runtimeOf(peer)));
        }
      : undefined;
  return bookOfClient(runtime, peers);
}
