import type { AccountKind } from "../consent/accounts.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import type { Store } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import { ACCOUNT_ID_RULE, type ListRow } from "./list-format.ts";
import type { PlanSources } from "./prepare-plan.ts";
import type { HistoryAttempt } from "./types.ts";
/**
 * A plan's side of every count of a debt's calls (compliance/debt-calls.ts): the calls
 * the plan counts — the history given, the store's (cxo's calls, imported touches, the histories
 * given to earlier plans) and CXone's (the dials on every list cxo pushed, the skills' completed
 * contacts) — each once, per number and per debt; and, once the list has been read whole, what
 * the plan read kept for the next command: the history's calls and accounts, and the kind it
 * declared the campaign to be.
 */

/**
 * The given history's account column, checked as a file's (AccountPairs: an empty or overlong id is
 * refused, exit 2, nothing sent); a number's calls about several debts are each about its own.
 */
export async function checkHistoryAccounts(history: readonly HistoryAttempt[]): Promise<void> {
  const { AccountPairs } = await import("../consent/accounts.ts");
  const file = new AccountPairs("history");
  history.forEach((a, i) => {
    if (a.accountId !== undefined) file.add({ account: a.accountId, phone: a.phone }, i + 1);
  });
}

/** What one read of a list notes for the plan's counts: its numbers (E.164) and the debts its rows name. */
export interface ListKeys {
  phones: Set<string>;
  accounts: Set<string>;
}

/**
 * A list's account column, read through before anything is sent (the SDK's rows, a list file
 * the CLI streams): a collections row without an account, an account id that is empty or longer
 * than 128 characters, one number given a sales household and a debt. The same read notes the
 * list's numbers and debts (`ListKeys`), so the counts need not read the list again: a CXone
 * list of 155k records is paged once for both.
 */
export async function checkListAccounts(
  rows: AsyncIterable<ListRow> | Iterable<ListRow>,
  kind: AccountKind,
): Promise<ListKeys> {
  const [{ AccountPairs, accountPairsOf, accountIdProblem }, { nanpE164 }] = await Promise.all([
    import("../consent/accounts.ts"),
    import("./place.ts"),
  ]);
  const pairs = new AccountPairs("accountId", kind);
  const keys: ListKeys = { phones: new Set(), accounts: new Set() };
  let row = 0;
  for await (const r of rows) {
    row++;
    if (kind === "collections" && r.accountId === undefined)
      throw new InputError({ field: "accountId", row, rule: ACCOUNT_ID_RULE });
    // Given as a value, "" is an empty id (a file's empty cell is none: the schema leaves it out).
    const problem = r.accountId === undefined ? undefined : accountIdProblem(String(r.accountId));
    if (problem !== undefined) throw new InputError({ field: "accountId", row, rule: problem });
    for (const pair of accountPairsOf(r)) pairs.add(pair, row);
    keys.phones.add(nanpE164(r.phone));
    if (r.accountId !== undefined && r.accountId !== "") keys.accounts.add(String(r.accountId));
  }
  return keys;
}

/**
 * Whether a plan counts CXone's own dials (production: the calling lists cxo feeds), which it
 * keeps for the list's numbers alone — so the list must be readable before it is planned.
 */
export function countsCxoneDials(client: ClientContext | undefined): boolean {
  return client?.port.lists !== undefined && client.port.support.unsupported("lists.timed") === undefined;
}

/**
 * Every call the plan counts over `window` (the longest cap before the horizon to its end). CXone's
 * calls (a pushed list's dials, the skills' completed contacts) are kept only for the numbers the
 * plan is about — its list's, and every number of the debts its rows name or its numbers were read
 * for — when the list can be read ahead (`list`): a plan of 60 records after a list of a million
 * dials holds the dials of its 60 numbers, not a million (issue 100 §4).
 */
export async function planCalls(
  sources: PlanSources,
  campaign: string,
  horizon: { fromMs: number; toMs: number },
  given: readonly HistoryAttempt[] | undefined,
  signal: AbortSignal | undefined,
  list?: ListKeys,
): Promise<{ calls: HistoryAttempt[]; accountCalls: Map<string, HistoryAttempt[]> }> {
  const [{ callsInWindow }, { ATTEMPT_LOOKBACK_MS }, { countedCallOf, planCallsOf }] = await Promise.all([
    import("../compliance/debt-calls.ts"),
    import("../compliance/attempts.ts"),
    import("./history.ts"),
  ]);
  const window = { fromMs: horizon.fromMs - ATTEMPT_LOOKBACK_MS, toMs: horizon.toMs };
  // Only where CXone's calls are read (production: calling lists cxo feeds).
  const numbers =
    countsCxoneDials(sources.client) && list ? await numbersOfPlan(await sources.store(), list) : undefined;
  const platform = sources.client
    ? await platformCallsOfRuntime(sources.client, campaign, window, signal, numbers)
    : undefined;
  const gathered = await callsInWindow(
    { store: await sources.store(), platform, given: (given ?? []).map((a) => countedCallOf(a)) },
    window,
  );
  const { history, accountCalls } = planCallsOf(gathered);
  return { calls: history, accountCalls };
}

async function platformCallsOfRuntime(
  client: ClientContext,
  campaign: string,
  window: { fromMs: number; toMs: number },
  signal: AbortSignal | undefined,
  numbers: ReadonlySet<string> | undefined,
) {
  const { platformCallsOf } = await import("../compliance/platform-calls.ts");
  return platformCallsOf(client, { skills: [campaign], window, signal, numbers });
}

/**
 * The numbers a plan's counts are about, in E.164: its list's, and every number of the accounts
 * its rows name or its numbers were read for (a debt's calls on its other numbers count too).
 */
async function numbersOfPlan(store: Store, list: ListKeys): Promise<ReadonlySet<string>> {
  const [{ accountsOfPhones, numbersOfAccounts }, { nanpE164 }] = await Promise.all([
    import("../consent/accounts.ts"),
    import("./place.ts"),
  ]);
  const phones = new Set(list.phones);
  const accounts = new Set(list.accounts);
  for (const known of (await accountsOfPhones(store.db, phones)).values())
    for (const a of known) accounts.add(a);
  for (const known of (await numbersOfAccounts(store.db, accounts)).values())
    for (const phone of known) phones.add(nanpE164(phone));
  return phones;
}

/**
 * The list's rows passed through; once the last has passed (the list read whole, without a bad
 * row), the given history is kept in the store with its accounts, and the kind the plan declares
 * its campaign to be (a skill with no spec here) — so a later push, check or scrub counts the
 * history's calls as this plan did, and an agent's "Do Not Call" covers the debt.
 */
export async function* keepingWhatThePlanRead<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  sources: PlanSources,
  facts: {
    history: readonly HistoryAttempt[] | undefined;
    campaign: string;
    kind: AccountKind | undefined;
    actor?: string | null | undefined;
  },
): AsyncGenerator<T> {
  for await (const row of rows as AsyncIterable<T>) yield row;
  const store = await sources.store();
  const [{ keepGivenHistory }, { ATTEMPT_LOOKBACK_MS }, { countedCallOf }, accounts, known] =
    await Promise.all([
      import("../compliance/debt-calls.ts"),
      import("../compliance/attempts.ts"),
      import("./history.ts"),
      import("../consent/accounts.ts"),
      import("../campaigns/known-campaigns.ts"),
    ]);
  const history = facts.history ?? [];
  if (history.length > 0) {
    const calls = history.map((a) => countedCallOf(a));
    await keepGivenHistory(store, calls, {
      source: `plan history (campaign ${facts.campaign})`,
      nowMs: clockNowMs(),
      lookbackMs: ATTEMPT_LOOKBACK_MS,
      actor: facts.actor ?? null,
    });
    const pairs = calls.flatMap((c) => (c.accountId ? [{ account: c.accountId, phone: c.phone }] : []));
    await accounts.rememberAccountNumbers(store.db, pairs, "plan history", facts.kind);
  }
  if (facts.kind !== undefined && (await known.findKnownCampaign(store, facts.campaign))?.kind === undefined)
    await known.rememberDeclaredKind(store, facts.campaign, facts.kind);
}
