import type { TenantLedger, TenantOutcome } from "../consent/every-tenant.ts";
import type { HonourSummary } from "../consent/honour.ts";
import type { LedgerEntry } from "../consent/ledger.ts";
import type { ReviewItem } from "../consent/review-queue.ts";
import type { Channel, Revocation } from "../consent/revocation.ts";
import { type Scope, type ScopeText, scopeText } from "../consent/scope.ts";
import { InputError } from "../core/input-error.ts";
import type { Store } from "../core/store/index.ts";
import type {
  ConsentImportParams,
  ConsentImportResult,
  ConsentRevokeParams,
  ConsentRevokeResult,
} from "./consent.ts";
import { idOf } from "./runtime.ts";

/**
 * Recording a revocation needs only the business unit's store: a consumer's "stop" must be
 * recordable wherever cxo runs, with or without a CXone connection (cxo refuses the number from
 * the moment it is recorded). What needs CXone — checking that a campaign scope names a campaign
 * the tenant has, and writing the tenant's CXone DNC group — is done when a connection is
 * configured; without one the entries wait `pending` (or `none` until a group is named) and the
 * next `consent honour` or `cxo serve` with a connection sends them, like any other.
 *
 * `consent.revoke` and `consent.import` of a client record through here with the client's book;
 * `cxo consent revoke|import` on a data dir with no connection, with a book of stores alone.
 */
export interface ConsentBook {
  /** The business unit (undefined: the only one configured). */
  tenant: string | undefined;
  actor: string | null;
  /** `consent.cxoneDncGroup`: where its entries go once CXone can be told. */
  cxoneDncGroup: string | undefined;
  store(): Promise<Store>;
  /** CXone, when a connection is configured (undefined: recorded here, CXone pending). */
  cxone?: {
    /** A group named on a platform without DNC groups: refused before anything is recorded. */
    refuseGroup(): void;
    /** Scope `campaign:C` names a campaign the tenant has (a read). */
    checkScope(scope: Scope, signal?: AbortSignal): Promise<void>;
    /** Sends the pending entries to the tenant's group (undefined: it names none). */
    honour(signal?: AbortSignal): Promise<HonourSummary | undefined>;
  };
  /**
   * The seller's other tenants, for scope `all` (an unnamed tenant: none, it is the only one).
   * Undefined for a named tenant that knows no others: `all` is refused, nothing recorded.
   */
  peers?: () => Promise<ConsentBook[]>;
}

/** Said where CXone could not be told because no connection is configured. */
export const NO_CONNECTION =
  "no CXone connection is configured: recorded here, pending for CXone, sent by cxo consent honour (or cxo serve) once a connection (and consent.cxoneDncGroup) is configured";

export async function revokeIn(
  book: ConsentBook,
  params: ConsentRevokeParams,
  signal: AbortSignal | undefined,
): Promise<ConsentRevokeResult> {
  if (typeof params !== "object" || params === null)
    throw new InputError({
      field: "params",
      rule: "must be an object ({ phone?, account?, at?, channel?, scope?, source? })",
    });
  const { revocationOf } = await import("../consent/revocation.ts");
  const nowMs = Date.now();
  const { revocation, problems } = revocationOf(
    { ...params, at: params.at instanceof Date ? params.at.toISOString() : params.at },
    { nowMs, defaults: { channel: "call", scope: "tenant", at: new Date(nowMs).toISOString() } },
  );
  if (!revocation) throw new InputError(problems);
  book.cxone?.refuseGroup();
  await checkAccount(await book.store(), revocation);
  await checkScope(book, revocation.scope, signal);
  const ledgers =
    revocation.scope.kind === "all" ? await sellerLedgers(book, signal) : [ledgerOfBook(book, {}, signal)];
  const { recordInEveryTenant } = await import("../consent/every-tenant.ts");
  const outcomes = await recordInEveryTenant(ledgers, () => [revocation], signal, {
    actor: book.actor,
    source: "revoke",
  });
  const own = outcomes[0] as TenantOutcome;
  return {
    added: own.added === 1,
    entry: await reportOne(await book.store(), revocation, nowMs),
    ...(own.cxone ? { cxone: own.cxone } : {}),
    ...(own.cxoneDelayed ? { cxoneDelayed: own.cxoneDelayed } : {}),
    ...(revocation.scope.kind === "all" ? { tenants: outcomes } : {}),
  };
}

export async function importIn(
  book: ConsentBook,
  params: ConsentImportParams,
  signal: AbortSignal | undefined,
): Promise<ConsentImportResult> {
  // The store is the call's from its start: a close() while the file is read stops the
  // import between batches (the signal), not with "closed" from a store asked for too late.
  const storeReady = book.store();
  storeReady.catch(() => undefined);
  if (typeof params?.file !== "string" || params.file === "")
    throw new InputError({ field: "file", rule: "is required: a .csv or .ndjson file of revocations" });
  const { checkRevocationFile, revocationsOf } = await import("../consent/import-file.ts");
  const nowMs = Date.now();
  const read = { nowMs, ...(params.scope ? { defaultScope: params.scope } : {}) };
  const { accountProblem } = await import("../consent/accounts.ts");
  const accountsOf = (await storeReady).db;
  const { rows, scopeAll, messages } = await checkRevocationFile(
    params.file,
    { ...read, checkAccount: (account, phone) => accountProblem(accountsOf, account, phone) },
    signal,
  );
  book.cxone?.refuseGroup();
  if (messages.review > 0) await queueReviews(await storeReady, params.file, read, signal);
  // One commit (one fsync) per batch (5,000 rows by default): a killed import keeps what it committed.
  const batches = { batchSize: batchRowsOf(params.batchRows), batchAudit: { source: `file:${params.file}` } };
  // This tenant's store is the one opened at the call's start (see storeReady).
  const ledgers =
    scopeAll > 0
      ? await sellerLedgers(book, signal, batches, storeReady)
      : [ledgerOfBook(book, batches, signal, storeReady)];
  const { recordInEveryTenant } = await import("../consent/every-tenant.ts");
  // This tenant records every row; the seller's others, the rows of scope `all`.
  const outcomes = await recordInEveryTenant(
    ledgers,
    (ledger) =>
      ledger === ledgers[0]
        ? revocationsOf(params.file, read, signal)
        : onlyAll(revocationsOf(params.file, read, signal)),
    signal,
    { actor: book.actor, source: `import ${params.file}` },
  );
  const mine = outcomes[0] as TenantOutcome;
  return {
    rows,
    added: mine.added,
    known: mine.known,
    ...(mine.cxone ? { cxone: mine.cxone } : {}),
    ...(mine.cxoneDelayed ? { cxoneDelayed: mine.cxoneDelayed } : {}),
    ...(scopeAll > 0 ? { tenants: outcomes } : {}),
    ...(messages.recorded + messages.review + messages.other > 0 ? { messages } : {}),
  };
}

/** The file's unclear messages, queued for a person's review (never dropped; issue 92 §3). */
async function queueReviews(
  store: Store,
  file: string,
  read: { nowMs: number; defaultScope?: ScopeText },
  signal: AbortSignal | undefined,
): Promise<void> {
  const [{ reviewsOf }, { queueForReview, reviewItemOf }, { deadlineOfRevocation }] = await Promise.all([
    import("../consent/import-file.ts"),
    import("../consent/review-queue.ts"),
    import("../campaigns/compliance/revocation-report.ts"),
  ]);
  const items = [];
  for await (const { revocation, message, basis } of reviewsOf(file, read, signal))
    items.push(
      reviewItemOf(revocation, message, basis, deadlineOfRevocation(revocation.phone, revocation.receivedAt)),
    );
  await queueForReview(store, items);
}

/** One tenant's ledger, as the fan-out (consent/every-tenant.ts) asks it. */
export function ledgerOfBook(
  book: ConsentBook,
  batches: { batchSize?: number; batchAudit?: { source: string } },
  signal: AbortSignal | undefined,
  store?: Promise<Store>,
): TenantLedger {
  const cxone = book.cxone;
  return {
    tenant: book.tenant,
    record: async (revocations, journal) => {
      cxone?.refuseGroup();
      const { recordRevocations } = await import("../consent/ledger.ts");
      return recordRevocations(await (store ?? book.store()), revocations, {
        actor: book.actor,
        cxoneGroupId: book.cxoneDncGroup,
        ...batches,
        ...journal,
        signal,
      });
    },
    store: () => store ?? book.store(),
    // Without a connection the answer says CXone is pending (the fan-out's `cxoneDelayed`).
    honour: !cxone
      ? () => Promise.reject(new Error(NO_CONNECTION))
      : book.cxoneDncGroup === undefined
        ? undefined
        : () => cxone.honour(signal),
  };
}

/**
 * Scope `all`: this tenant's ledger and those of every configured tenant sharing its seller. A
 * named tenant that knows no others refuses it, nothing recorded.
 */
export async function sellerLedgers(
  book: ConsentBook,
  signal: AbortSignal | undefined,
  batches: { batchSize?: number; batchAudit?: { source: string } } = {},
  store?: Promise<Store>,
): Promise<TenantLedger[]> {
  const own = ledgerOfBook(book, batches, signal, store);
  if (!book.peers)
    throw new InputError({
      field: "scope",
      rule: `all reaches every tenant that shares this one's seller, and this client knows only tenant ${book.tenant}: revoke through createTenants(…) (its clients know each other) or cxo consent, which read the configured tenants`,
    });
  const peers = await book.peers();
  return [own, ...peers.map((peer) => ledgerOfBook(peer, batches, signal))];
}

/** Scope `campaign:C` is checked with CXone; without a connection it cannot be, and is refused. */
async function checkScope(book: ConsentBook, scope: Scope, signal: AbortSignal | undefined): Promise<void> {
  if (scope.kind !== "campaign") return;
  if (book.cxone) return book.cxone.checkScope(scope, signal);
  throw new InputError({
    field: "scope",
    rule: `${scopeText(scope)} needs a CXone connection to check that this tenant has that campaign, and none is configured: record it with scope tenant (or all), or configure the connection`,
  });
}

/** An account must be one cxo has read, and agree with a phone named with it (bad input). */
async function checkAccount(store: Store, revocation: Revocation): Promise<void> {
  if (revocation.account === undefined) return;
  const { accountProblem } = await import("../consent/accounts.ts");
  const problem = await accountProblem(store.db, revocation.account, revocation.phone);
  if (problem) throw new InputError({ field: "account", rule: problem });
}

async function* onlyAll(revocations: AsyncIterable<Revocation>): AsyncGenerator<Revocation> {
  for await (const r of revocations) if (r.scope.kind === "all") yield r;
}

async function reportOne(store: Store, r: Revocation, nowMs: number) {
  const [{ ledgerEntriesById }, { reportEntryOf }, { revocationId }] = await Promise.all([
    import("../consent/ledger.ts"),
    import("../campaigns/compliance/revocation-report.ts"),
    import("../consent/revocation.ts"),
  ]);
  const [entry] = await ledgerEntriesById(store, [revocationId(r)]);
  return reportEntryOf(entry as LedgerEntry, nowMs, []);
}

/** `batchRows`: a whole number of rows per commit, 1–100,000 (default 5,000). */
function batchRowsOf(value: unknown): number {
  if (value === undefined) return 5000;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 100_000)
    throw new InputError({ field: "batchRows", rule: "must be a whole number of rows from 1 to 100000" });
  return value;
}

/** `consent.decide` (and the CLI without a connection): a person's decision on a message in review (issue 92 §3). */
export async function decideIn(
  book: ConsentBook,
  params: { id: string; as: "revocation" | "not-revocation" },
  signal: AbortSignal | undefined,
): Promise<{ item: ReviewItem; revocation?: ConsentRevokeResult }> {
  const id = idOf(params?.id, "id");
  if (params.as !== "revocation" && params.as !== "not-revocation")
    throw new InputError({ field: "as", rule: "must be revocation or not-revocation" });
  const store = await book.store();
  const { CONSENT_REVIEW, decideReview } = await import("../consent/review-queue.ts");
  const item = await store.kv.get<ReviewItem>(CONSENT_REVIEW, id);
  if (!item) throw new InputError({ field: "id", rule: `no message ${id} is in review` });
  if (item.decided)
    throw new InputError({ field: "id", rule: `message ${id} was decided already (${item.decided.as})` });
  let revocation: ConsentRevokeResult | undefined;
  if (params.as === "revocation")
    revocation = await revokeIn(
      book,
      {
        ...(item.phone === "" ? {} : { phone: item.phone }),
        ...(item.account === undefined ? {} : { account: item.account }),
        at: item.receivedAt,
        channel: item.channel as Channel,
        scope: item.scope as ScopeText,
        source: `review of message ${id}${item.source ? ` (${item.source})` : ""}`.slice(0, 200),
      },
      signal,
    );
  const decided = await decideReview(store, item, params.as, book.actor ?? null, Date.now());
  return { item: decided, ...(revocation ? { revocation } : {}) };
}

/** `consent.grant` (and the CLI without a connection): a grant of consent recorded, audited (issue 92 §2). */
export async function grantIn(
  book: ConsentBook,
  params: import("../consent/grants.ts").GrantInput,
): Promise<import("../consent/grants.ts").Grant> {
  if (typeof params !== "object" || params === null)
    throw new InputError({ field: "params", rule: "must be an object ({ phone, purpose, written, … })" });
  const { grantOf, recordGrant } = await import("../consent/grants.ts");
  const grant = grantOf(params, Date.now());
  await recordGrant(await book.store(), grant);
  return grant;
}
