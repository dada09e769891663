import { clockNowDate } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { UK_E164 } from "../core/phone-number.ts";
import type { SqlExecutor } from "../core/store/index.ts";
import { allInBatches, distinctKeys, groupRows } from "../core/store/sql.ts";
import { accountIdProblem, accountIdsOf } from "./account-id.ts";

export { accountIdProblem, MAX_ACCOUNT_ID_LENGTH } from "./account-id.ts";

/**
 * The debtors' accounts and their numbers as cxo has read them (issue 77 §2); this module owns
 * the `consent_accounts` table. A revocation naming an account covers every number the account
 * has: the checks ask here which accounts a number belongs to when they check it (and a plan row
 * or a push names its account itself), so a number the account gains in a later list is covered
 * the moment cxo reads that list — the revocation is never a snapshot of the numbers it had.
 *
 * The same pairs say whose debt a call was: every count of a debt's calls (a push, a plan, a
 * check, a scrub; compliance/debt-calls.ts) gives a call to a number to each account
 * the number was ever read for, so a debt's calls are counted across days, lists and numbers. A
 * pair is never forgotten: a number seen once for an account stays that account's.
 *
 * Filled wherever cxo reads an account column: the list a plan is made from, the plan a push
 * sends (src/sdk/strategy.ts), the history of attempts given to a plan, a touches file. One file
 * giving one number accounts of two kinds (a sales household and a debt) is refused (`AccountPairs`)
 * before any pair is kept; several debts of one number are kept, each pair.
 */
export interface AccountNumber {
  account: string;
  /** E.164. */
  phone: string;
  /**
   * The kind of the list or plan that named the pair, when it declared one: an account read in a
   * collections list is a debt (Regulation F applies to a check naming it).
   */
  kind?: AccountKind | undefined;
}

export type AccountKind = "sales" | "collections";

const PER_QUERY = 400;

/**
 * Records (account, number) pairs not seen before, and a pair's kind when this read declares one
 * it lacked (collections wins: once read as a debt, a debt); returns how many rows were written.
 */
export async function rememberAccountNumbers(
  db: SqlExecutor,
  pairs: Iterable<AccountNumber>,
  source: string,
  kind?: AccountKind,
): Promise<number> {
  const unique = new Map<string, AccountNumber>();
  for (const p of pairs) if (p.account && p.phone) unique.set(`${p.account}\u0000${p.phone}`, p);
  const now = clockNowDate().toISOString();
  let written = 0;
  for (const p of unique.values()) {
    const result = await db.run(
      `INSERT INTO consent_accounts (account_id, phone, first_seen_at, source, kind) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (account_id, phone) DO UPDATE SET kind = excluded.kind
        WHERE excluded.kind IS NOT NULL AND (consent_accounts.kind IS NULL OR excluded.kind = 'collections')`,
      [p.account, p.phone, now, source.slice(0, 200), p.kind ?? kind ?? null],
    );
    written += result.changes;
  }
  return written;
}

/** Which of these accounts cxo read in a collections list or plan: debts (Regulation F). */
export async function debtAccounts(db: SqlExecutor, accounts: Iterable<string>): Promise<Set<string>> {
  const rows = await allInBatches<{ account_id: string }>(
    db,
    distinctKeys(accounts),
    PER_QUERY,
    (marks) =>
      `SELECT DISTINCT account_id FROM consent_accounts WHERE kind = 'collections' AND account_id IN (${marks})`,
  );
  return new Set(rows.map((row) => row.account_id));
}

/** Whether cxo has read any account's numbers at all (a run over numbers of none asks nothing more). */
export async function holdsAccounts(db: SqlExecutor): Promise<boolean> {
  return (await db.get("SELECT 1 AS found FROM consent_accounts LIMIT 1")) !== undefined;
}

/** The accounts each of these numbers belongs to (numbers of no known account are absent). */
export async function accountsOfPhones(
  db: SqlExecutor,
  phones: Iterable<string>,
): Promise<Map<string, string[]>> {
  return pairsBy(db, "phone", distinctKeys(phones), "");
}

/** Every number cxo has read for each of these accounts. */
export async function numbersOfAccounts(
  db: SqlExecutor,
  accounts: Iterable<string>,
): Promise<Map<string, string[]>> {
  return pairsBy(db, "account_id", [...new Set(accounts)], " ORDER BY phone");
}

/** The pairs whose `column` is one of `keys`: each key's other halves (accounts of a number, numbers of an account). */
async function pairsBy(
  db: SqlExecutor,
  column: "phone" | "account_id",
  keys: readonly string[],
  order: string,
): Promise<Map<string, string[]>> {
  const other = column === "phone" ? "account_id" : "phone";
  const rows = await allInBatches<{ account_id: string; phone: string }>(
    db,
    keys,
    PER_QUERY,
    (marks) => `SELECT account_id, phone FROM consent_accounts WHERE ${column} IN (${marks})${order}`,
  );
  return groupRows(
    rows,
    (row) => row[column],
    (row) => row[other],
  );
}

/**
 * What a revocation naming an account should say about it, beside being recorded: a
 * revocation is never refused for what cxo has not read yet. A letter may name a debt before any
 * list does (`unseen`): it is kept against the account and covers every number the account gains
 * later, as each check looks the account up when it checks a number. A phone named with it that
 * cxo knows only for other accounts (`phone-of-others`) is recorded too — the person asked not to
 * be called at that number — and said loudly, since those accounts' other numbers are not covered.
 */
export interface AccountNotice {
  account: string;
  kind: "unseen" | "phone-of-others";
  /** The numbers cxo knows for the account now (0 when unseen). */
  numbers: number;
  /** `phone-of-others`: the accounts cxo knows the phone for (at most 3). */
  otherAccounts?: string[];
  message: string;
}

/** The notices for a revocation naming `account` (and maybe `phone`); empty when it is as cxo knows it. */
export async function accountNotices(
  db: SqlExecutor,
  account: string,
  phone: string,
): Promise<AccountNotice[]> {
  const numbers = (await numbersOfAccounts(db, [account])).get(account) ?? [];
  const notices: AccountNotice[] = [];
  if (numbers.length === 0)
    notices.push({
      account,
      kind: "unseen",
      numbers: 0,
      message: `account ${account} is not in any list, history, plan or touches file cxo has read yet: recorded against the account all the same; every number the account gains later is refused the moment cxo reads it, and sent to the CXone DNC group by the next consent honour${phone === "" ? "" : ` (${phone}, named with it, is refused now)`}. If the id is mistyped, record the right one too`,
    });
  if (phone === "" || numbers.includes(phone)) return notices;
  const others = (await accountsOfPhones(db, [phone])).get(phone) ?? [];
  if (others.length === 0) return notices;
  const shown = others.slice(0, 3);
  notices.push({
    account,
    kind: "phone-of-others",
    numbers: numbers.length,
    otherAccounts: shown,
    message: `${phone} is a number cxo knows for account ${shown.join(", ")}, not ${account}${
      numbers.length > 0
        ? ` (whose numbers end ${numbers
            .slice(0, 5)
            .map((n) => n.slice(-4))
            .join(", ")})`
        : ""
    }: recorded for ${phone} and for account ${account}; the other numbers of ${shown.join(", ")} are NOT covered — if the request is about ${shown.length === 1 ? "that account" : "one of those accounts"}, record it for that account too`,
  });
  return notices;
}

/**
 * One file's account column, checked row by row. A number may belong to several
 * accounts in one file — a household line listed for three of a person's debts, joint debtors —
 * and a call to it is then about each of them (12 CFR 1006.14(b)(2), the CFPB's commentary: a call
 * about several debts counts toward each debt's limits): every pair is kept. What cxo cannot settle
 * is one number given accounts of different kinds (a sales household and a debt): whether a call to
 * it is a debt collector's call decides which rules hold, so the file is refused, naming both rows,
 * before anything is planned, pushed or recorded. An account id that is empty or longer than 128
 * characters is refused too.
 */
export class AccountPairs {
  /** Each number's accounts, in the order the file gave them, with the first row and the kind of each. */
  private readonly seen = new Map<string, Map<string, { row: number; kind?: AccountKind | undefined }>>();
  private readonly field: string;
  /** The kind of a pair whose row declares none: the file's (a collections plan's list), if any. */
  private readonly kind: AccountKind | undefined;

  constructor(field = "accountId", kind?: AccountKind) {
    this.field = field;
    this.kind = kind;
  }

  /** Notes `pair` of data row `row` (1-based); an InputError for a bad id or a number of two kinds. */
  add(given: AccountNumber, row: number): void {
    const pair = given.kind === undefined && this.kind !== undefined ? { ...given, kind: this.kind } : given;
    const problem = accountIdProblem(pair.account);
    if (problem !== undefined) throw new InputError({ field: this.field, row, rule: problem });
    let accounts = this.seen.get(pair.phone);
    if (accounts === undefined) {
      accounts = new Map();
      this.seen.set(pair.phone, accounts);
    }
    if (pair.kind !== undefined)
      for (const [account, known] of accounts)
        if (account !== pair.account && known.kind !== undefined && known.kind !== pair.kind)
          throw new InputError({
            field: this.field,
            row,
            rule: `gives ${pair.phone} the ${pair.kind} account ${pair.account}, but row ${known.row} gave it the ${known.kind} account ${account}: one number cannot be both a sales household's and a debt's in one file (is a call to it a debt collector's call?) — correct the file; nothing was planned, pushed or recorded`,
          });
    const known = accounts.get(pair.account);
    if (known === undefined) accounts.set(pair.account, { row, kind: pair.kind });
    // Once read as a debt, a debt (rememberAccountNumbers keeps the same rule).
    else if (pair.kind === "collections" || known.kind === undefined) known.kind = pair.kind ?? known.kind;
  }

  /** The file's pairs, each once. */
  pairs(): AccountNumber[] {
    const out: AccountNumber[] = [];
    for (const [phone, accounts] of this.seen)
      for (const [account, p] of accounts) out.push({ account, phone, kind: p.kind });
    return out;
  }
}

/**
 * Passes `rows` through, checking the file's account column (AccountPairs), and remembers its
 * (account, number) pairs once the last row has passed: a file refused half way (a number of a
 * sales household and a debt, a bad account id, a bad row) has recorded nothing. The list a plan
 * reads, the plan a push sends.
 */
export async function* rememberingAccounts<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  pairsOf: (row: T) => readonly AccountNumber[] | AccountNumber | undefined,
  remember: (pairs: AccountNumber[]) => Promise<unknown>,
  kind?: AccountKind,
): AsyncGenerator<T> {
  const file = new AccountPairs("accountId", kind);
  let index = 0;
  for await (const row of rows as AsyncIterable<T>) {
    index++;
    const pairs = pairsOf(row);
    if (Array.isArray(pairs)) for (const pair of pairs) file.add(pair, index);
    else if (pairs !== undefined) file.add(pairs as AccountNumber, index);
    yield row;
  }
  const pairs = file.pairs();
  for (let i = 0; i < pairs.length; i += 1000) await remember(pairs.slice(i, i + 1000));
}

/**
 * A list or plan row's (account, number) pairs, when it names an account as text, with the row's
 * kind (a plan row's `kind`, a list row's `kind` column): its `accountId`, and every debt of a
 * plan row made for several (`accountIds`, issue 100). An empty cell is no account; an id the
 * pairs refuse (only spaces, too long) is passed on for AccountPairs to name.
 */
export function accountPairsOf(row: unknown): AccountNumber[] {
  if (typeof row !== "object" || row === null) return [];
  const { accountId, accountIds, phone, kind, columns } = row as {
    accountId?: unknown;
    accountIds?: unknown;
    phone?: unknown;
    kind?: unknown;
    columns?: { kind?: unknown };
  };
  // A UK number too: an account's revocation reaches it as it does a NANP one.
  if (typeof phone !== "string" || !(/^\+1\d{10}$/.test(phone) || UK_E164.test(phone))) return [];
  const declared = kind ?? columns?.kind;
  const pairKind = declared === "collections" || declared === "sales" ? declared : undefined;
  const accounts = new Set<string>();
  const add = (value: unknown) => {
    const account = typeof value === "number" ? String(value) : value;
    if (typeof account === "string" && account !== "") accounts.add(account);
  };
  add(accountId);
  const many = accountIdsOf(accountIds);
  if (Array.isArray(many)) for (const value of many) add(value);
  return [...accounts].map((account) =>
    pairKind === undefined ? { account, phone } : { account, phone, kind: pairKind },
  );
}

/** A row's first (account, number) pair (accountPairsOf), or undefined. */
export function accountPairOf(row: unknown): AccountNumber | undefined {
  return accountPairsOf(row)[0];
}
