import type { AccountNotice } from "../consent/accounts.ts";
import {
  type ConsentBook,
  type ConsentImportParams,
  type ConsentRevokeParams,
  ledgerOfBook,
  sellerLedgers,
} from "../consent/book.ts";
import type { TenantOutcome } from "../consent/every-tenant.ts";
import type { HonourSummary } from "../consent/honour.ts";
import type { AccountNoticeCounts, ImportSnapshot } from "../consent/import-file.ts";
import type { LedgerEntry, RecordSummary } from "../consent/ledger.ts";
import type { ReviewItem } from "../consent/review-queue.ts";
import type { Channel, Revocation } from "../consent/revocation.ts";
import { type Scope, type ScopeText, scopeText } from "../consent/scope.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { instantInputText } from "../core/instant-input.ts";
import { idOf } from "../core/params.ts";
import type { Store } from "../core/store/index.ts";
import type { ReportEntry } from "./revocation-report.ts";
export interface ConsentRevokeResult {
  /** False when the ledger already held this revocation (nothing new written). */
  added: boolean;
  entry: ReportEntry;
  /** What was sent to the CXone DNC group by this call (absent where the tenant has none). */
  cxone?: HonourSummary;
  /**
   * The CXone DNC group could not be written (an outage): the entry waits `pending` and is sent
   * by `cxo serve` or `consent.honour()`; cxo refuses the number meanwhile.
   */
  cxoneDelayed?: string;
  /**
   * Scope `all`: every tenant that shares the seller, this one first, each holding the revocation
   * (a tenant that could not record it makes the call reject with ConsentNotRecordedEverywhereError).
   */
  tenants?: TenantOutcome[];
  /**
   * Recorded, and worth a look: the account is one cxo has not read yet (`unseen`: it
   * covers every number the account gains later), or the phone is one cxo knows for other
   * accounts (`phone-of-others`: their other numbers are not covered). Absent when neither.
   */
  accountNotices?: AccountNotice[];
}

export interface ConsentImportResult extends Omit<RecordSummary, "addedIds"> {
  rows: number;
  cxone?: HonourSummary;
  /** The CXone DNC group could not be written: the entries wait `pending` (see ConsentRevokeResult). */
  cxoneDelayed?: string;
  /** Rows of scope `all` present: every tenant of the seller, with what it recorded of them. */
  tenants?: TenantOutcome[];
  /**
   * Rows with a `message`: recorded as revocations by their words, queued for a
   * person's review (`consent.review`), or neither. Absent when no row has a message.
   */
  messages?: { recorded: number; review: number; other: number };
  /** Rows naming an account cxo has not read yet, or a phone of other accounts: recorded, and said. */
  accountNotices?: AccountNoticeCounts;
}

/**
 * Revocations taken in through a consent book (consent/book.ts) — one (`consent.revoke`), a file
 * (`consent.import`), a message a person decided (`consent.decide`) — and answered as the
 * revocation report judges them: an entry with the deadline compliance's rules give it, a message
 * put in review with the deadline a revocation received then would have. Recording is the book's
 * (consent/); the deadlines are compliance's (revocation-report.ts), so this lives here.
 */
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
  // An account given empty (a script's unset variable) would record the phone alone and lose the
  // account's other numbers without a word: refused. A file's empty cell is a row without one.
  if (typeof params.account === "string" && params.account.trim() === "")
    throw new InputError({ field: "account", rule: "is empty: name the account, or leave the option out" });
  const { revocationOf } = await import("../consent/revocation.ts");
  const nowMs = clockNowMs();
  const { revocation, problems } = revocationOf(
    { ...params, at: instantInputText(params.at, "at") },
    { nowMs, defaults: { channel: "call", scope: "tenant", at: new Date(nowMs).toISOString() } },
  );
  if (!revocation) throw new InputError(problems);
  book.cxone?.refuseGroup();
  await checkScope(book, revocation.scope, signal);
  const notices = await noticesOf(await book.store(), revocation);
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
    ...(notices.length > 0 ? { accountNotices: notices } : {}),
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
  const { withFileReadOnce } = await import("../consent/import-file.ts");
  // Read once: the check and every business unit's share read the same copy (issue 100).
  return withFileReadOnce(params.file, (file) => importSnapshot(book, params, file, storeReady, signal));
}

/** `importIn` on the file's one copy: checked whole, then recorded in each unit from the same bytes. */
async function importSnapshot(
  book: ConsentBook,
  params: ConsentImportParams,
  file: ImportSnapshot,
  storeReady: Promise<Store>,
  signal: AbortSignal | undefined,
): Promise<ConsentImportResult> {
  const { checkRevocationFile, revocationsOf } = await import("../consent/import-file.ts");
  const nowMs = clockNowMs();
  const read = { nowMs, ...(params.scope ? { defaultScope: params.scope } : {}) };
  const { accountNotices } = await import("../consent/accounts.ts");
  const accountsOf = (await storeReady).db;
  const { rows, scopeAll, messages, accounts } = await checkRevocationFile(
    file,
    { ...read, checkAccount: (account, phone) => accountNotices(accountsOf, account, phone) },
    signal,
  );
  book.cxone?.refuseGroup();
  if (messages.review > 0) await queueReviews(await storeReady, file, read, signal);
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
      ledger === ledgers[0] ? revocationsOf(file, read, signal) : onlyAll(revocationsOf(file, read, signal)),
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
    ...(accounts.unseen + accounts.phoneOfOthers > 0 ? { accountNotices: accounts } : {}),
  };
}

/** The file's unclear messages, queued for a person's review (never dropped; issue 92 §3). */
async function queueReviews(
  store: Store,
  file: ImportSnapshot,
  read: { nowMs: number; defaultScope?: ScopeText },
  signal: AbortSignal | undefined,
): Promise<void> {
  const [{ reviewsOf }, { queueForReview, reviewItemOf }, { deadlineOfRevocation }] = await Promise.all([
    import("../consent/import-file.ts"),
    import("../consent/review-queue.ts"),
    import("./revocation-report.ts"),
  ]);
  const items = [];
  for await (const { revocation, message, basis } of reviewsOf(file, read, signal))
    items.push(
      reviewItemOf(revocation, message, basis, deadlineOfRevocation(revocation.phone, revocation.receivedAt)),
    );
  await queueForReview(store, items);
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

/**
 * What to say of the account a revocation names: never a refusal — an account cxo has
 * not read yet, or a phone it knows for other accounts, is recorded and said.
 */
async function noticesOf(store: Store, revocation: Revocation): Promise<AccountNotice[]> {
  if (revocation.account === undefined) return [];
  const { accountNotices } = await import("../consent/accounts.ts");
  return accountNotices(store.db, revocation.account, revocation.phone);
}

async function* onlyAll(revocations: AsyncIterable<Revocation>): AsyncGenerator<Revocation> {
  for await (const r of revocations) if (r.scope.kind === "all") yield r;
}

async function reportOne(store: Store, r: Revocation, nowMs: number) {
  const [{ ledgerEntriesById }, { reportEntryOf }, { revocationId }] = await Promise.all([
    import("../consent/ledger.ts"),
    import("./revocation-report.ts"),
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
  const decided = await decideReview(store, item, params.as, book.actor ?? null, clockNowMs());
  return { item: decided, ...(revocation ? { revocation } : {}) };
}
