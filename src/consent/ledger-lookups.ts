import type { SqlExecutor } from "../core/store/index.ts";
import { allInBatches, distinctKeys, groupRows, placeholders } from "../core/store/sql.ts";
import { type Scope, scopeOfColumns } from "./scope.ts";

/**
 * What a check asks of the consent ledger (issue 78 §5): the revocations of numbers and accounts,
 * each looked up by its index a few hundred a query, never the whole table; or every revocation
 * in keyset pages, for a scrub or a plan (compliance/blocked-numbers.ts).
 */

/** What a check needs of a revocation: when, by what channel, for what scope. */
export interface LedgerRevocation {
  /** '' when the entry names an account alone. */
  phone: string;
  account?: string;
  receivedMs: number;
  receivedAt: string;
  channel: string;
  scope: Scope;
}

interface RevocationRow {
  id?: string;
  phone: string;
  account_id?: string | null;
  received_ms: number | string;
  received_at: string;
  channel: string;
  scope_kind: string;
  scope_campaign: string | null;
}

const revocationOfRow = (row: RevocationRow): LedgerRevocation => ({
  phone: row.phone,
  ...(row.account_id ? { account: row.account_id } : {}),
  receivedMs: Number(row.received_ms),
  receivedAt: row.received_at,
  channel: row.channel,
  scope: scopeOfColumns(row.scope_kind, row.scope_campaign),
});

/** The columns every lookup reads (the row's shape above). */
const LOOKED_UP = "phone, account_id, received_ms, received_at, channel, scope_kind, scope_campaign";

/** Numbers per `IN (…)` list: well under SQLite's and PostgreSQL's parameter limits. */
const PHONES_PER_QUERY = 500;

/**
 * The revocations of these numbers, by number (issue 78 §5): looked up by the ledger's phone
 * index, `PHONES_PER_QUERY` numbers a query, never the whole table.
 */
export async function revocationsOfPhones(
  db: SqlExecutor,
  phones: Iterable<string>,
): Promise<Map<string, LedgerRevocation[]>> {
  return revocationsBy(db, "phone", [...new Set(phones)]);
}

/** The revocations naming these accounts, by account (issue 77 §2), by the ledger's account index. */
export async function revocationsOfAccounts(
  db: SqlExecutor,
  accounts: Iterable<string>,
): Promise<Map<string, LedgerRevocation[]>> {
  return revocationsBy(db, "account_id", distinctKeys(accounts));
}

/** The revocations whose `column` is one of `keys`, by it: read by that column's index, a batch a query. */
async function revocationsBy(
  db: SqlExecutor,
  column: "phone" | "account_id",
  keys: readonly string[],
): Promise<Map<string, LedgerRevocation[]>> {
  const rows = await allInBatches<RevocationRow>(
    db,
    keys,
    PHONES_PER_QUERY,
    (marks) => `SELECT ${LOOKED_UP} FROM consent_ledger WHERE ${column} IN (${marks})`,
  );
  return groupRows(
    rows,
    (row) => (column === "phone" ? row.phone : (row.account_id as string)),
    revocationOfRow,
  );
}

/**
 * revocationsOfPhones and revocationsOfAccounts in one query a batch (a check names its number
 * and its account: one statement, not two). Each side is read by its own index, as those two
 * read it, and its rows come back as they would.
 */
export async function revocationsOfPhonesAndAccounts(
  db: SqlExecutor,
  phones: Iterable<string>,
  accounts: Iterable<string>,
): Promise<{ byPhone: Map<string, LedgerRevocation[]>; byAccount: Map<string, LedgerRevocation[]> }> {
  const uniquePhones = [...new Set(phones)];
  const uniqueAccounts = distinctKeys(accounts);
  const byPhone = new Map<string, LedgerRevocation[]>();
  const byAccount = new Map<string, LedgerRevocation[]>();
  for (let i = 0; i < Math.max(uniquePhones.length, uniqueAccounts.length); i += PHONES_PER_QUERY) {
    const phonePart = uniquePhones.slice(i, i + PHONES_PER_QUERY);
    const accountPart = uniqueAccounts.slice(i, i + PHONES_PER_QUERY);
    const arms = [
      ...(phonePart.length > 0
        ? [
            `SELECT 0 AS by_account, ${LOOKED_UP} FROM consent_ledger WHERE phone IN (${placeholders(phonePart)})`,
          ]
        : []),
      ...(accountPart.length > 0
        ? [
            `SELECT 1 AS by_account, ${LOOKED_UP} FROM consent_ledger WHERE account_id IN (${placeholders(accountPart)})`,
          ]
        : []),
    ];
    const rows = await db.all<RevocationRow & { by_account: number | string }>(arms.join(" UNION ALL "), [
      ...phonePart,
      ...accountPart,
    ]);
    for (const row of rows) {
      const [found, key] =
        Number(row.by_account) === 1 ? [byAccount, row.account_id as string] : [byPhone, row.phone];
      const list = found.get(key);
      if (list) list.push(revocationOfRow(row));
      else found.set(key, [revocationOfRow(row)]);
    }
  }
  return { byPhone, byAccount };
}

/**
 * Every revocation, `batchSize` rows a query in id order (keyset paging): for a scrub or a plan
 * over many numbers, which asks for each of them in turn.
 */
export async function* allRevocations(db: SqlExecutor, batchSize = 50_000): AsyncGenerator<LedgerRevocation> {
  let after = "";
  for (;;) {
    const rows = await db.all<Required<RevocationRow>>(
      `SELECT id, ${LOOKED_UP} FROM consent_ledger WHERE id > ? ORDER BY id LIMIT ?`,
      [after, batchSize],
    );
    for (const row of rows) yield revocationOfRow(row);
    if (rows.length < batchSize) return;
    after = rows.at(-1)?.id ?? after;
  }
}
