import type { SqlExecutor } from "../core/store/index.ts";

/**
 * The debtors' accounts and their numbers as cxo has read them (issue 77 §2); this module owns
 * the `consent_accounts` table. A revocation naming an account covers every number the account
 * has: the checks ask here which accounts a number belongs to when they check it (and a plan row
 * or a push names its account itself), so a number the account gains in a later list is covered
 * the moment cxo reads that list — the revocation is never a snapshot of the numbers it had.
 *
 * Filled wherever cxo reads an account column: the list a plan is made from, the plan a push
 * sends (src/sdk/strategy.ts), the history of attempts given to a plan.
 */
export interface AccountNumber {
  account: string;
  /** E.164. */
  phone: string;
}

const PER_QUERY = 400;

/** Records (account, number) pairs not seen before; returns how many were new. */
export async function rememberAccountNumbers(
  db: SqlExecutor,
  pairs: Iterable<AccountNumber>,
  source: string,
): Promise<number> {
  const unique = new Map<string, AccountNumber>();
  for (const p of pairs) if (p.account && p.phone) unique.set(`${p.account}\u0000${p.phone}`, p);
  const now = new Date().toISOString();
  let added = 0;
  for (const p of unique.values()) {
    const result = await db.run(
      `INSERT INTO consent_accounts (account_id, phone, first_seen_at, source) VALUES (?, ?, ?, ?)
        ON CONFLICT (account_id, phone) DO NOTHING`,
      [p.account, p.phone, now, source.slice(0, 200)],
    );
    added += result.changes;
  }
  return added;
}

/** The accounts each of these numbers belongs to (numbers of no known account are absent). */
export async function accountsOfPhones(
  db: SqlExecutor,
  phones: Iterable<string>,
): Promise<Map<string, string[]>> {
  const unique = [...new Set(phones)].filter((p) => p !== "");
  const found = new Map<string, string[]>();
  for (let i = 0; i < unique.length; i += PER_QUERY) {
    const part = unique.slice(i, i + PER_QUERY);
    const rows = await db.all<{ account_id: string; phone: string }>(
      `SELECT account_id, phone FROM consent_accounts WHERE phone IN (${part.map(() => "?").join(", ")})`,
      part,
    );
    for (const row of rows) found.set(row.phone, [...(found.get(row.phone) ?? []), row.account_id]);
  }
  return found;
}

/** Every number cxo has read for each of these accounts. */
export async function numbersOfAccounts(
  db: SqlExecutor,
  accounts: Iterable<string>,
): Promise<Map<string, string[]>> {
  const unique = [...new Set(accounts)];
  const found = new Map<string, string[]>();
  for (let i = 0; i < unique.length; i += PER_QUERY) {
    const part = unique.slice(i, i + PER_QUERY);
    const rows = await db.all<{ account_id: string; phone: string }>(
      `SELECT account_id, phone FROM consent_accounts WHERE account_id IN (${part.map(() => "?").join(", ")}) ORDER BY phone`,
      part,
    );
    for (const row of rows) found.set(row.account_id, [...(found.get(row.account_id) ?? []), row.phone]);
  }
  return found;
}

/**
 * Why a revocation naming `account` (and maybe `phone`) cannot be recorded, or undefined when it
 * can (issue 77, bad input): an account cxo has never read is unknown (a typo would otherwise
 * revoke nothing, silently); a number cxo knows only as other accounts' disagrees with it.
 */
export async function accountProblem(
  db: SqlExecutor,
  account: string,
  phone: string,
): Promise<string | undefined> {
  const numbers = (await numbersOfAccounts(db, [account])).get(account) ?? [];
  if (numbers.length === 0)
    return `names account ${account}, which no list, history or plan cxo has read holds: check the id (cxo learns an account's numbers from the account column of the lists it plans and pushes)`;
  if (phone === "" || numbers.includes(phone)) return undefined;
  const others = (await accountsOfPhones(db, [phone])).get(phone) ?? [];
  if (others.length === 0) return undefined;
  return `${phone} belongs to account ${others.slice(0, 3).join(", ")}, not ${account} (whose numbers end ${numbers
    .slice(0, 5)
    .map((n) => n.slice(-4))
    .join(", ")}): the account and the phone disagree`;
}

/**
 * Passes `rows` through, remembering each row's (account, number) pair as it goes (a thousand
 * pairs a write): the list a plan reads, the plan a push sends.
 */
export async function* rememberingAccounts<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  pairOf: (row: T) => AccountNumber | undefined,
  remember: (pairs: AccountNumber[]) => Promise<unknown>,
): AsyncGenerator<T> {
  let pairs: AccountNumber[] = [];
  for await (const row of rows as AsyncIterable<T>) {
    const pair = pairOf(row);
    if (pair) pairs.push(pair);
    if (pairs.length >= 1000) {
      await remember(pairs);
      pairs = [];
    }
    yield row;
  }
  if (pairs.length > 0) await remember(pairs);
}

/** A list or plan row's (account, number), when it names both as text. */
export function accountPairOf(row: unknown): AccountNumber | undefined {
  if (typeof row !== "object" || row === null) return undefined;
  const { accountId, phone } = row as { accountId?: unknown; phone?: unknown };
  const account = typeof accountId === "number" ? String(accountId) : accountId;
  if (typeof account !== "string" || account === "" || typeof phone !== "string") return undefined;
  return /^\+1\d{10}$/.test(phone) ? { account, phone } : undefined;
}
