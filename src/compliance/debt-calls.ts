import { accountsOfPhones, debtAccounts, numbersOfAccounts } from "../consent/accounts.ts";
import { calledNumberOf } from "../consent/called-number.ts";
import { dialWasConversation } from "../core/call-agent.ts";
import type { Store } from "../core/store/index.ts";
import type { ListAttempt } from "../platform/ports/lists.ts";
import type { CountedCall } from "./counted-call.ts";
import { sqlOf } from "./store-sql.ts";
import { VOICE } from "./touches.ts";
import {
  recordTouches,
  touchesInWindow,
  touchesOfAccounts,
  touchesOfPhones,
  touchOfCall,
} from "./touches-store.ts";

/**
 * The calls of a number and of its debt, gathered in one place for every count of them — `strategy
 * push`, `strategy plan`, `compliance check` and `campaigns contacts` — so that all four count the
 * same set (Regulation F's 7 calls in 7 days per debt and its 7 days after a conversation hold
 * across days, lists and numbers only if every count sees every call). A push that counted today's
 * plan rows and its own lists let a debt's second number be dialled the day after a conversation
 * on its first; a plan that counted its history and a push that did not gave a debt its 8th call.
 *
 * Where the calls come from:
 * - the store: cxo's own calls (`call_attempts`), the touches imported with `cxo touches import`
 *   and the histories given to plans (kept in the `touches` table by `keepGivenHistory`, so that a
 *   later push, check or scrub counts them too);
 * - CXone (production, read once per command, `readPlatformCalls`): the dials on every list cxo
 *   pushed (`…/call-lists/{id}/attempts`) and the completed contacts of the skills concerned;
 * - the history given to a plan, before it is kept.
 *
 * Whose debt a call is: every account its number was ever read for (consent/accounts.ts: the pairs
 * are kept across days; a push's plan and a touches file are kept before they are counted, and a
 * plan counts its own list's numbers per debt itself), and the account its source names (a touch
 * or a history row naming one) — a number listed for several debts (a household line, joint
 * debtors) has each call to it counted toward every one of them (12 CFR 1006.14(b)(2),
 * the CFPB's commentary on a call about several debts; the stricter reading, since which debt a
 * call to a shared line was "about" is what the consumer cannot tell). A call on a number of no
 * account naming one is about that debt.
 *
 * Each call once: the same contact id is one call; a record without a contact id (a touch, a kept
 * history row) is the same call as another to the same number in the same minute on a voice
 * channel (or the same other channel). A merged call is a conversation when either record says so.
 */
export type { CountedCall } from "./counted-call.ts";

export interface CallWindow {
  /** Exclusive. */
  fromMs: number;
  /** Inclusive. */
  toMs: number;
}

/** What CXone is asked (production): the lists cxo pushed and the skills whose completed contacts count. */
export interface PlatformCallReader {
  /** Every list cxo pushed (the store's record of its pushes), with the skill each feeds. */
  pushedLists: ReadonlyArray<{ listId: string; campaignId: string | undefined; updatedAt: string }>;
  /** A list's dials a page at a time, from `since` (ISO: the window's start; older ones may come too). */
  attempts(listId: string, since: string): AsyncIterable<readonly ListAttempt[]>;
  /** The skills named (the push's, the plan's, a check's): read with every skill a list in reach was pushed to. */
  skills: readonly string[];
  /**
   * The completed contacts of `skills` that started in the window, as counted calls: read from
   * the calls kept by the one tenant-wide incremental read (consent/completed-calls.ts), brought up to
   * date first.
   */
  completed(skills: readonly string[], window: CallWindow): Promise<readonly CountedCall[]>;
  /**
   * The numbers the count is about (a plan's: its list's numbers and every number of its debts),
   * when it knows them: a call to another number is dropped as it is read, so a list of a million
   * dials costs its pages, not a million calls held (issue 100 §4). Absent: every number.
   */
  keep?: ((phone: string) => boolean) | undefined;
}

/** What one count reads besides the store. */
export interface DebtCallSources {
  store: Store;
  /** CXone's calls, read once by `readPlatformCalls`. */
  platform?: readonly CountedCall[] | undefined;
  /** The history given to a plan (not kept yet). */
  given?: readonly CountedCall[] | undefined;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * CXone's side of the count: every dial on the lists cxo pushed within reach of the window (a list
 * last pushed more than a day before it holds none: a record expires with its window) and the
 * completed contacts, in the window, of the skills named and of every skill those lists feed (kept
 * by the tenant-wide incremental read: consent/completed-calls.ts). Read once per command; each call keeps
 * its contact id.
 */
export async function readPlatformCalls(
  reader: PlatformCallReader,
  window: CallWindow,
): Promise<CountedCall[]> {
  const calls: CountedCall[] = [];
  const within = (atMs: number) => atMs > window.fromMs && atMs <= window.toMs;
  const keep = reader.keep ?? (() => true);
  const lists = reader.pushedLists.filter((l) => Date.parse(l.updatedAt) >= window.fromMs - DAY_MS);
  const skills = new Set(reader.skills);
  for (const list of lists) {
    if (list.campaignId !== undefined) skills.add(list.campaignId);
    // Page by page: only the dials of the window are kept (a list may hold a million).
    for await (const page of reader.attempts(list.listId, new Date(window.fromMs).toISOString()))
      for (const a of page) {
        const atMs = Date.parse(a.at);
        const phone = calledNumberOf(a.phone);
        if (!phone || !within(atMs) || !keep(phone)) continue;
        calls.push({
          phone,
          atMs,
          // An agent's disposition or an agent on the call: a conversation (Regulation F).
          conversation: dialWasConversation(a),
          ...(a.contactId ? { contactId: a.contactId } : {}),
          recordId: a.recordId,
          listId: list.listId,
          ...(list.campaignId ? { campaignId: list.campaignId } : {}),
          source: "list",
        });
      }
  }
  for (const call of await reader.completed([...skills], window))
    if (within(call.atMs) && keep(call.phone)) calls.push(call);
  return calls;
}

/** The merged calls, each once (the module's rule); records read first win ties of the same call. */
export function uniqueCalls(calls: Iterable<CountedCall>): CountedCall[] {
  const kept: CountedCall[] = [];
  const byId = new Map<string, CountedCall>();
  const byMinute = new Map<string, CountedCall[]>();
  for (const call of calls) {
    const same = call.contactId === undefined ? undefined : byId.get(call.contactId);
    if (same) {
      merge(same, call, byId);
      continue;
    }
    const key = minuteKey(call);
    const atMinute = byMinute.get(key);
    // Without a contact id on one side, the same number and minute is the same call.
    const match = atMinute?.find((o) => o.contactId === undefined || call.contactId === undefined);
    if (match) {
      merge(match, call, byId);
      continue;
    }
    const own = { ...call };
    kept.push(own);
    if (own.contactId !== undefined) byId.set(own.contactId, own);
    if (atMinute) atMinute.push(own);
    else byMinute.set(key, [own]);
  }
  return kept.sort((a, b) => a.atMs - b.atMs);
}

function minuteKey(call: CountedCall): string {
  const channel = call.channel ?? "call";
  return `${call.phone}\u0000${Math.floor(call.atMs / MINUTE_MS)}\u0000${VOICE.includes(channel) ? "voice" : channel}`;
}

function merge(into: CountedCall, other: CountedCall, byId: Map<string, CountedCall>): void {
  if (other.conversation) into.conversation = true;
  if (into.contactId === undefined && other.contactId !== undefined) {
    into.contactId = other.contactId;
    byId.set(other.contactId, into);
  }
  into.accountId ??= other.accountId;
  into.campaignId ??= other.campaignId;
  into.recordId ??= other.recordId;
  into.listId ??= other.listId;
  into.seller ??= other.seller;
  into.purpose ??= other.purpose;
  into.voice ??= other.voice;
  into.id ??= other.id;
}

/** The gathered calls, asked per number and per debt. */
export interface DebtCalls {
  /** Every call counted, each once, oldest first. */
  readonly all: readonly CountedCall[];
  /** The debts some call is about. */
  readonly accounts: readonly string[];
  /** Every call to the number (a named account kept as named). */
  ofNumber(phone: string): readonly CountedCall[];
  /**
   * Every call about the debt on every number: to a number read for it (whatever debt the call
   * names: a call to a shared number is about each of its debts) and every touch naming it — each
   * with `accountId` the account, so that a per-account cap counts it.
   */
  ofAccount(account: string): readonly CountedCall[];
  /** What one check of `phone` counts: its own calls, and the debt's on its other numbers. */
  forCheck(phone: string, account?: string): CountedCall[];
  /** The accounts the number was read for (the store's pairs and the file's). */
  accountsOf(phone: string): readonly string[];
  /** Whether the account was read in a collections list or plan: a debt (Regulation F). */
  isDebt(account: string): boolean;
}

/**
 * The calls to these numbers and about these debts in the window (a check, a push, a page of a
 * scrub); `theirDebts`: the debts the numbers were read for too (a scrub's list names none).
 */
export async function callsOf(
  sources: DebtCallSources,
  query: {
    phones: Iterable<string>;
    accounts?: Iterable<string> | undefined;
    theirDebts?: boolean | undefined;
    window: CallWindow;
  },
): Promise<DebtCalls> {
  const db = sqlOf(sources.store);
  const phones = [...new Set(query.phones)];
  const asked = new Set([...(query.accounts ?? [])].filter((a) => a !== ""));
  const ofAsked = query.theirDebts ? await accountsOfPhones(db, phones) : new Map<string, string[]>();
  for (const list of ofAsked.values()) for (const account of list) asked.add(account);
  const accounts = [...asked];
  const accountNumbers = await numbersOfAccounts(db, accounts);
  const numbers = new Set(phones);
  for (const list of accountNumbers.values()) for (const phone of list) numbers.add(phone);
  const read = new Set(query.theirDebts ? phones : []);
  const others = [...numbers].filter((phone) => !read.has(phone));
  const { fromMs, toMs } = query.window;
  const [stored, named, ofOthers] = await Promise.all([
    touchesOfPhones(sources.store, [...numbers], fromMs, toMs),
    touchesOfAccounts(sources.store, accounts, fromMs, toMs),
    accountsOfPhones(db, others),
  ]);
  const phoneAccounts = new Map([...ofAsked, ...ofOthers]);
  const relevant = (c: CountedCall) =>
    c.atMs > fromMs &&
    c.atMs <= toMs &&
    (numbers.has(c.phone) || (c.accountId !== undefined && asked.has(c.accountId)));
  const calls = uniqueCalls([
    ...(sources.platform ?? []).filter(relevant),
    ...(sources.given ?? []).filter(relevant),
    ...[...stored.values()].flat(),
    ...named,
  ]);
  return indexed(calls, phoneAccounts, await debtsOf(sources.store, phoneAccounts, accounts));
}

/** Every call in the window, whatever its number (a plan over a whole list). */
export async function callsInWindow(sources: DebtCallSources, window: CallWindow): Promise<DebtCalls> {
  const within = (c: CountedCall) => c.atMs > window.fromMs && c.atMs <= window.toMs;
  const calls = uniqueCalls([
    ...(sources.platform ?? []).filter(within),
    ...(sources.given ?? []).filter(within),
    ...(await touchesInWindow(sources.store, window.fromMs, window.toMs)),
  ]);
  const phoneAccounts = await accountsOfPhones(sqlOf(sources.store), new Set(calls.map((c) => c.phone)));
  return indexed(calls, phoneAccounts, await debtsOf(sources.store, phoneAccounts, []));
}

/** The debts among the accounts met: those cxo read in a collections list or plan. */
async function debtsOf(
  store: Store,
  phoneAccounts: ReadonlyMap<string, readonly string[]>,
  accounts: readonly string[],
): Promise<Set<string>> {
  const met = new Set(accounts);
  for (const list of phoneAccounts.values()) for (const account of list) met.add(account);
  return debtAccounts(sqlOf(store), met);
}

function indexed(
  calls: CountedCall[],
  phoneAccounts: ReadonlyMap<string, readonly string[]>,
  debts: ReadonlySet<string>,
): DebtCalls {
  const byPhone = new Map<string, CountedCall[]>();
  const byAccount = new Map<string, CountedCall[]>();
  const add = <K>(map: Map<K, CountedCall[]>, key: K, call: CountedCall) => {
    const list = map.get(key);
    if (list) list.push(call);
    else map.set(key, [call]);
  };
  for (const call of calls) {
    add(byPhone, call.phone, call);
    // About every debt of its number, and the debt it names (issue 100: a shared line's calls count for each).
    const debts = debtsOfCall(call, phoneAccounts);
    for (const account of debts)
      add(byAccount, account, call.accountId === account ? call : { ...call, accountId: account });
  }
  return {
    all: calls,
    accounts: [...byAccount.keys()],
    ofNumber: (phone) => byPhone.get(phone) ?? [],
    ofAccount: (account) => byAccount.get(account) ?? [],
    // The number's calls are already in time order (`calls` is): merged and sorted only with a debt's.
    forCheck: (phone, account) =>
      account === undefined
        ? [...(byPhone.get(phone) ?? [])]
        : [
            ...(byPhone.get(phone) ?? []),
            ...(byAccount.get(account) ?? []).filter((c) => c.phone !== phone),
          ].sort((a, b) => a.atMs - b.atMs),
    accountsOf: (phone) => phoneAccounts.get(phone) ?? [],
    isDebt: (account) => debts.has(account),
  };
}

/** The debts a call is about: every account of its number, the one it names first. */
export function debtsOfCall(
  call: Pick<CountedCall, "phone" | "accountId">,
  phoneAccounts: ReadonlyMap<string, readonly string[]>,
): string[] {
  const ofNumber = phoneAccounts.get(call.phone) ?? [];
  if (call.accountId === undefined) return [...ofNumber];
  return [call.accountId, ...ofNumber.filter((account) => account !== call.accountId)];
}

/**
 * Keeps the history given to a plan (what it says was dialled, each call with its conversation
 * and account) in the store's touches, so that a push, a check or a scrub made later counts it as
 * the plan did: a debt with 6 calls in the history got its 8th from the push that did not. Only
 * what a cap could still count is kept (the longest cap window before now); a history given again
 * adds nothing (a touch's id is what it is).
 */
export async function keepGivenHistory(
  store: Store,
  calls: readonly CountedCall[],
  options: { source: string; nowMs: number; lookbackMs: number; actor?: string | null },
): Promise<number> {
  const kept = calls.filter((c) => c.atMs > options.nowMs - options.lookbackMs && c.atMs <= options.nowMs);
  return recordTouches(
    store,
    kept.map((c) => ({ ...touchOfCall(c), answered: c.conversation })),
    { source: options.source, actor: options.actor ?? null },
  );
}
