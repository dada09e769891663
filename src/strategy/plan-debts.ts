import type { AccountAttempt } from "../compliance/index.ts";
import { accountIdProblem } from "../consent/account-id.ts";
import { InputError } from "../core/input-error.ts";
import { ACCOUNT_ID_RULE, type ListRow } from "./list-format.ts";
import type { HistoryAttempt, PlanSummary } from "./types.ts";

/**
 * A collections list's debts, read in full before the first row is planned (Regulation F counts
 * calls per debt across its numbers, so every number of a debt must be known first).
 *
 * One number, several debts: a household line listed for three of a person's debts,
 * joint debtors. A call to it is about each of them — 12 CFR 1006.14(b)(2) and the CFPB's
 * commentary: a call about several debts counts toward each debt's limits — so the rows of one
 * number whose debts (the list's, and those cxo has read the number for before) are two or more
 * become ONE record: the first row's, dialled once, carrying every debt (`accountIds`), each call
 * counted toward every one of them and refused when a cap of any of them refuses it. Planned as
 * three records, the number was dialled three times for what is one call to the consumer.
 */
export interface DebtsRead {
  /** The rows to plan: a shared number's rows folded into its first. */
  rows: ListRow[];
  /** Each debt's calls (the history's on its numbers, and the store's on its others). */
  accountAttempts: Map<string, AccountAttempt[]>;
}

/** How a row's consent reads when rows are folded: a refusal wins, then "not recorded", then consent. */
const CONSENT_RANK = (consent: boolean | undefined): number =>
  consent === false ? 0 : consent === undefined ? 1 : 2;

export async function readDebts(
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  attemptsOfPhone: ReadonlyMap<string, readonly HistoryAttempt[]>,
  accountCalls: ReadonlyMap<string, readonly HistoryAttempt[]> | undefined,
  debtsOfNumbers:
    | ((phones: readonly string[]) => Promise<ReadonlyMap<string, readonly string[]>>)
    | undefined,
  summary: PlanSummary,
): Promise<DebtsRead> {
  const all: ListRow[] = [];
  // Each number's debts in the list's order, and its rows.
  const debtsOf = new Map<string, string[]>();
  const rowsOf = new Map<string, ListRow[]>();
  let index = 0;
  for await (const row of list) {
    index++;
    if (row.accountId === undefined)
      throw new InputError({ field: "accountId", row: index, rule: ACCOUNT_ID_RULE });
    const problem = accountIdProblem(String(row.accountId));
    if (problem !== undefined) throw new InputError({ field: "accountId", row: index, rule: problem });
    all.push(row);
    const debts = debtsOf.get(row.phone);
    if (debts === undefined) {
      debtsOf.set(row.phone, [row.accountId]);
      rowsOf.set(row.phone, [row]);
    } else {
      if (!debts.includes(row.accountId)) debts.push(row.accountId);
      rowsOf.get(row.phone)?.push(row);
    }
  }
  const known = debtsOfNumbers ? await debtsOfNumbers([...debtsOf.keys()]) : undefined;
  for (const [phone, debts] of debtsOf)
    for (const account of [...(known?.get(phone) ?? [])].sort())
      if (!debts.includes(account)) debts.push(account);
  const rows = foldShared(all, debtsOf, rowsOf, summary);
  return { rows, accountAttempts: debtAttempts(debtsOf, attemptsOfPhone, accountCalls) };
}

/** The list with each shared number's rows folded into its first row (its record), in the list's order. */
function foldShared(
  all: readonly ListRow[],
  debtsOf: ReadonlyMap<string, readonly string[]>,
  rowsOf: ReadonlyMap<string, readonly ListRow[]>,
  summary: PlanSummary,
): ListRow[] {
  const out: ListRow[] = [];
  const examples: string[] = [];
  let numbers = 0;
  let folded = 0;
  for (const row of all) {
    const debts = debtsOf.get(row.phone) ?? [];
    if (debts.length < 2) {
      out.push(row);
      continue;
    }
    const rows = rowsOf.get(row.phone) ?? [row];
    if (rows[0] !== row) continue;
    numbers++;
    folded += rows.length - 1;
    if (examples.length < 5)
      examples.push(
        `${row.phone.slice(0, -4)}…${row.phone.slice(-4)} for ${debts.join(", ")}${
          rows.length > 1 ? ` (rows ${rows.map((r) => r.recordId).join(", ")} as record ${row.recordId})` : ""
        }`,
      );
    // The least consent any of its rows records: a refusal on one row is the consumer's.
    const consent = rows.reduce<boolean | undefined>(
      (least, r) => (CONSENT_RANK(r.consent) < CONSENT_RANK(least) ? r.consent : least),
      row.consent,
    );
    const record: ListRow = { ...row, accountId: debts[0], accountIds: [...debts] };
    if (consent === undefined) delete record.consent;
    else record.consent = consent;
    out.push(record);
  }
  if (numbers > 0) {
    summary.sharedNumbers = { numbers, rows: folded };
    summary.notes.push(
      `${numbers} number(s) of several debts planned as one record each, dialled once, every call counted toward each debt (12 CFR 1006.14(b)(2)): ${examples.join("; ")}${numbers > examples.length ? " …" : ""}`,
    );
  }
  return out;
}

/**
 * Each debt's calls: those to every number the list (or cxo before) gives it, and the debt's calls
 * on the numbers it had in earlier lists (the store keeps them).
 */
function debtAttempts(
  debtsOf: ReadonlyMap<string, readonly string[]>,
  attemptsOfPhone: ReadonlyMap<string, readonly HistoryAttempt[]>,
  accountCalls: ReadonlyMap<string, readonly HistoryAttempt[]> | undefined,
): Map<string, AccountAttempt[]> {
  const phonesOf = new Map<string, Set<string>>();
  for (const [phone, debts] of debtsOf)
    for (const account of debts) {
      const phones = phonesOf.get(account) ?? new Set<string>();
      phonesOf.set(account, phones);
      phones.add(phone);
    }
  const accountAttempts = new Map<string, AccountAttempt[]>();
  for (const [account, phones] of phonesOf) {
    const attempts: AccountAttempt[] = [];
    for (const phone of phones)
      for (const a of attemptsOfPhone.get(phone) ?? [])
        attempts.push({ atMs: a.atMs, conversation: a.conversation, channel: a.channel, phone });
    for (const a of accountCalls?.get(account) ?? [])
      if (!phones.has(a.phone))
        attempts.push({ atMs: a.atMs, conversation: a.conversation, channel: a.channel, phone: a.phone });
    accountAttempts.set(account, attempts);
  }
  return accountAttempts;
}
