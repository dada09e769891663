import { readFile } from "node:fs/promises";
import { appendAuditRecords } from "../../core/audit/audit-log.ts";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import type { Store } from "../../core/store/index.ts";
import { NANP_RULE, parseNanp } from "./phone-number.ts";
import { sqlOf } from "./store-sql.ts";
import type { Suppression } from "./suppression.ts";

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
   * Issue 62: the consent ledger's revocations and the CXone DNC groups covering this number on
   * this campaign (none when absent). Synchronous: the lookup's data is loaded before the checks.
   */
  suppressions?(phone: string, campaignId: string | undefined, atMs?: number): readonly Suppression[];
}

/** Parses a DNC file; any malformed line is an InputError naming its line (nothing is sent). */
export async function readDncFile(file: string, field = "dnc"): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError({
      field,
      rule: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    });
  }
  const numbers = new Set<string>();
  const problems: InputProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const number = parseNanp(line);
    if (number) numbers.add(number.e164);
    else problems.push({ field, row: index + 1, rule: `"${line.slice(0, 40)}" ${NANP_RULE}` });
  });
  if (problems.length > 0) throw new InputError(problems.slice(0, 50));
  return numbers;
}

export async function storedDncNumbers(store: Store): Promise<Set<string>> {
  const rows = await sqlOf(store).all<{ phone: string }>("SELECT phone FROM dnc_numbers");
  return new Set(rows.map((row) => row.phone));
}

export interface DncEntry {
  phone: string;
  reason: string | null;
  source: string;
  addedAt: string;
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

/** Adds numbers (already validated E.164); returns those that were not on the list yet. */
export async function addToDnc(
  store: Store,
  phones: readonly string[],
  options: { reason?: string | undefined; actor?: string | null } = {},
): Promise<string[]> {
  return sqlOf(store).transaction(async (tx) => {
    const added: string[] = [];
    const now = new Date().toISOString();
    for (const phone of phones) {
      const result = await tx.run(
        "INSERT INTO dnc_numbers (phone, reason, source, added_at) VALUES (?, ?, 'cli', ?) ON CONFLICT (phone) DO NOTHING",
        [phone, options.reason ?? null, now],
      );
      if (result.changes > 0) added.push(phone);
    }
    if (added.length > 0)
      await appendAuditRecords(
        tx,
        added.map((phone) => ({
          operation: "compliance.dnc.add",
          outcome: "done",
          actor: options.actor ?? null,
          target: phone,
          details: { reason: options.reason ?? null },
        })),
      );
    return added;
  });
}

export async function removeFromDnc(
  store: Store,
  phones: readonly string[],
  options: { actor?: string | null } = {},
): Promise<string[]> {
  return sqlOf(store).transaction(async (tx) => {
    const removed: string[] = [];
    for (const phone of phones) {
      const result = await tx.run("DELETE FROM dnc_numbers WHERE phone = ?", [phone]);
      if (result.changes > 0) removed.push(phone);
    }
    if (removed.length > 0)
      await appendAuditRecords(
        tx,
        removed.map((phone) => ({
          operation: "compliance.dnc.remove",
          outcome: "done",
          actor: options.actor ?? null,
          target: phone,
        })),
      );
    return removed;
  });
}

/** File numbers ∪ stored numbers, as one lookup. */
export function combinedDnc(...sets: ReadonlyArray<ReadonlySet<string>>): DncList {
  const all = new Set<string>();
  for (const set of sets) for (const phone of set) all.add(phone);
  return { has: (phone) => all.has(phone), size: all.size };
}
