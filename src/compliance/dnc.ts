import { appendAuditRecords } from "../core/audit/audit-log.ts";
import { clockNowDate } from "../core/clock/now.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import { assertTextInputFile } from "../core/input-file.ts";
import { inputLines } from "../core/input-rows.ts";
import { NANP_OR_UK_RULE, parseNanpOrUk } from "../core/phone-number.ts";
import type { SqlExecutor, Store } from "../core/store/index.ts";
import { sqlOf } from "./store-sql.ts";
import type { Suppression } from "./suppression.ts";
/** How a lookup answers (DncList.suppressions). */
export interface SuppressionOptions {
  /** A past attempt replayed as of its instant: a revocation received after `atMs` did not exist yet. */
  readonly replay?: boolean;
}

/**
 * The internal do-not-call list: numbers kept in the store (`cxo compliance dnc add|remove`)
 * and/or read from a file (one E.164 number per line, `#` comments). Every change to the
 * stored list is audited in the same transaction, so who removed a number, and when, is on
 * the hash-chained record.
 */

export interface DncList {
  has(phone: string): boolean;
  readonly size: number;
  /**
   * The consent ledger's revocations and the CXone DNC groups covering this number on
   * this campaign (none when absent). Synchronous: the lookup's data is loaded before the checks.
   * `accountId`: the debtor's account the number is called about: its revocations
   * count too, whatever number they were made on. `atMs`: the instant of the call (a CXone DNC
   * record that has expired by then does not count). A judgement made now counts every
   * revocation in the ledger, whatever its stamp (a revocation stamped by a host whose clock is
   * ahead is still a revocation); only `replay` (a past attempt judged as of its instant: the
   * evidence) counts just the revocations received by `atMs`.
   */
  suppressions?(
    phone: string,
    campaignId: string | undefined,
    atMs?: number,
    accountId?: string,
    options?: SuppressionOptions,
  ): readonly Suppression[];
  /** When the number replied STOP to a text (the ledger's SMS revocations), epoch ms. */
  textStops?(phone: string): readonly number[];
}

/**
 * Parses a DNC file; any malformed line is an InputError naming its line (nothing is sent). A
 * FIFO or a device is refused before it is opened, a file that is not UTF-8 (or has a line over
 * 1 MiB) before a line is parsed; then it is streamed a line at a time, and reading stops at the
 * 50th bad line (issue 78 §6: /dev/zero was read 508 MB before it was refused).
 */
export async function readDncFile(file: string, field = "dnc"): Promise<Set<string>> {
  assertTextInputFile(file, field);
  const numbers = new Set<string>();
  const problems: InputProblem[] = [];
  for await (const { line: row, text } of inputLines(file)) {
    const line = text.replace(/#.*$/, "").trim();
    if (line === "") continue;
    const number = parseNanpOrUk(line);
    if (number) numbers.add(number.e164);
    else problems.push({ field, row, rule: `"${line.slice(0, 40)}" ${NANP_OR_UK_RULE}` });
    if (problems.length >= 50) break;
  }
  if (problems.length > 0) throw new InputError(problems);
  return numbers;
}

/** Which of these numbers the stored list holds (one query: the caller keeps the list to a few hundred). */
export async function listedAmong(db: SqlExecutor, phones: readonly string[]): Promise<string[]> {
  const rows = await db.all<{ phone: string }>(
    `SELECT phone FROM dnc_numbers WHERE phone IN (${phones.map(() => "?").join(", ")})`,
    [...phones],
  );
  return rows.map((row) => row.phone);
}

/** A page of the stored list in number order, after `after` (a bulk load's keyset paging). */
export async function listedAfter(db: SqlExecutor, after: string, limit: number): Promise<string[]> {
  const rows = await db.all<{ phone: string }>(
    "SELECT phone FROM dnc_numbers WHERE phone > ? ORDER BY phone LIMIT ?",
    [after, limit],
  );
  return rows.map((row) => row.phone);
}

/** Whether the stored list holds any number (one row read at most). */
export async function holdsDncNumbers(db: SqlExecutor): Promise<boolean> {
  return (await db.get("SELECT 1 AS found FROM dnc_numbers LIMIT 1")) !== undefined;
}

export async function storedDncNumbers(store: Store): Promise<Set<string>> {
  const rows = await sqlOf(store).all<{ phone: string }>("SELECT phone FROM dnc_numbers");
  return new Set(rows.map((row) => row.phone));
}

/** When each of `phones` on the stored internal list was added (epoch ms), a few hundred a query. */
export async function dncAddedAt(store: Store, phones: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const unique = [...new Set(phones)];
  for (let i = 0; i < unique.length; i += 500) {
    const part = unique.slice(i, i + 500);
    const rows = await sqlOf(store).all<{ phone: string; added_at: string }>(
      `SELECT phone, added_at FROM dnc_numbers WHERE phone IN (${part.map(() => "?").join(", ")})`,
      part,
    );
    for (const row of rows) found.set(row.phone, Date.parse(row.added_at));
  }
  return found;
}

/** A number on the internal do-not-call list. */
export interface DncEntry {
  /** E.164. */
  phone: string;
  /** Why it was added, as given (null: none given). */
  reason: string | null;
  /**
   * What added it: `cli` (`cxo compliance dnc add`), `sdk` (the SDK's `compliance.addToDnc`), or
   * the `source` an application's call named.
   */
  source: string;
  /** When it was added (ISO-8601, UTC). */
  addedAt: string;
}

/** What `compliance.addToDnc` answers: the numbers added, and those already on the list. */
export interface DncAddResult {
  added: string[];
  alreadyListed: string[];
}

/** What `compliance.removeFromDnc` answers: the numbers removed, and those not on the list. */
export interface DncRemoveResult {
  removed: string[];
  notListed: string[];
}

/** What `compliance.listDnc` answers: the internal list, by number. */
export interface DncListResult {
  count: number;
  numbers: DncEntry[];
}

/** The longest reason kept with a number added. */
export const DNC_REASON_MAX = 500;

/**
 * The numbers of a change to the internal list, each once: E.164, North American or UK (a UK
 * subscriber's notice counts too: PECR reg 21(1)(a)). Every bad one is named (`phones[i]`).
 */
export function dncPhonesOf(phones: unknown): string[] {
  if (!Array.isArray(phones) || phones.length === 0)
    throw new InputError({ field: "phones", rule: "must be a list of one or more E.164 numbers" });
  const problems: InputProblem[] = [];
  const numbers: string[] = [];
  for (const [index, phone] of phones.entries()) {
    const number = typeof phone === "string" ? parseNanpOrUk(phone) : undefined;
    if (number) numbers.push(number.e164);
    else problems.push({ field: `phones[${index}]`, rule: NANP_OR_UK_RULE });
  }
  if (problems.length > 0) throw new InputError(problems);
  return [...new Set(numbers)];
}

/** A reason given with numbers added: text of at most DNC_REASON_MAX characters, or none. */
export function dncReasonOf(reason: unknown): string | undefined {
  if (reason === undefined) return undefined;
  if (typeof reason !== "string") throw new InputError({ field: "reason", rule: "must be text" });
  if (reason.length > DNC_REASON_MAX)
    throw new InputError({ field: "reason", rule: `must be at most ${DNC_REASON_MAX} characters` });
  return reason;
}

export async function listDnc(store: Store): Promise<DncEntry[]> {
  const rows = await sqlOf(store).all<{
    phone: string;
    reason: string | null;
    source: string;
    added_at: string;
  }>("SELECT phone, reason, source, added_at FROM dnc_numbers ORDER BY phone");
  return rows.map((r) => ({ phone: r.phone, reason: r.reason, source: r.source, addedAt: r.added_at }));
}

/** Adds numbers (already validated E.164) as added by `source` (default `sdk`); returns those that were not on the list yet. */
export async function addToDnc(
  store: Store,
  phones: readonly string[],
  options: { reason?: string | undefined; actor?: string | null; source?: string | undefined } = {},
): Promise<string[]> {
  const reason = options.reason ?? null;
  const source = options.source ?? "sdk";
  const audit = { operation: "compliance.dnc.add", actor: options.actor, details: { reason } };
  return changeEach(store, phones, audit, (tx, phone, now) =>
    tx.run(
      "INSERT INTO dnc_numbers (phone, reason, source, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (phone) DO NOTHING",
      [phone, reason, source, now],
    ),
  );
}

export async function removeFromDnc(
  store: Store,
  phones: readonly string[],
  options: { actor?: string | null } = {},
): Promise<string[]> {
  return changeEach(
    store,
    phones,
    { operation: "compliance.dnc.remove", actor: options.actor },
    (tx, phone) => tx.run("DELETE FROM dnc_numbers WHERE phone = ?", [phone]),
  );
}

/**
 * One statement a number, all in one transaction (`now`: the transaction's instant), and an
 * audit record for each number it changed, in the same transaction: the numbers changed.
 */
async function changeEach(
  store: Store,
  phones: readonly string[],
  audit: { operation: string; actor?: string | null | undefined; details?: Record<string, unknown> },
  change: (tx: SqlExecutor, phone: string, now: string) => Promise<{ changes: number }>,
): Promise<string[]> {
  return sqlOf(store).transaction(async (tx) => {
    const changed: string[] = [];
    const now = clockNowDate().toISOString();
    for (const phone of phones) if ((await change(tx, phone, now)).changes > 0) changed.push(phone);
    if (changed.length > 0)
      await appendAuditRecords(
        tx,
        changed.map((phone) => ({
          operation: audit.operation,
          outcome: "done",
          actor: audit.actor ?? null,
          target: phone,
          ...(audit.details ? { details: audit.details } : {}),
        })),
      );
    return changed;
  });
}

/** File numbers ∪ stored numbers, as one lookup. */
export function combinedDnc(...sets: ReadonlyArray<ReadonlySet<string>>): DncList {
  const all = new Set<string>();
  for (const set of sets) for (const phone of set) all.add(phone);
  return { has: (phone) => all.has(phone), size: all.size };
}
