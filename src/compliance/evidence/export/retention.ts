import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../../core/input-error.ts";
import { inputLines } from "../../../core/input-rows.ts";
import type { Store } from "../../../core/store/index.ts";
import { callsOf } from "../../debt-calls.ts";
import { isManifestLine } from "../chain.ts";
import { isEvidenceLine } from "../record.ts";

/**
 * How long an evidence file is kept, and `cxo compliance evidence prune --dir DIR [--dry-run]`
 * (issue 102 §2). The rule, per record, the file kept while any of its records is:
 *
 * - a call about a debt (the record names an account or its `debts`, or its kind is
 *   `collections`): until 3 years after the debt's last collection activity — Regulation F,
 *   12 CFR 1006.100(a): records that evidence compliance, telephone call logs included, from the
 *   start of collection until 3 years after the last collection activity on the debt. The last
 *   activity known: the latest call naming the debt in any evidence file of the directory, and
 *   the latest call or touch of the debt the store holds. A collections record naming no debt
 *   cannot be dated: kept;
 * - any other call (telemarketing): 5 years from the call — the Telemarketing Sales Rule's
 *   record keeping (16 CFR 310.5, as amended in 2024: call detail records for 5 years).
 *
 * Nothing the rule still keeps is removed; a file that cannot be read whole is kept and named.
 */
export const COLLECTIONS_YEARS = 3;
export const TELEMARKETING_YEARS = 5;

const addYears = (ms: number, years: number) => {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
};

export interface PrunedFile {
  file: string;
  records: number;
  /** When the rule lets it go (null: it cannot say: kept). */
  keepUntil: string | null;
  /** The record that keeps it longest, and why. */
  why: string;
  action: "kept" | "removed" | "would-remove";
}

export interface PruneSummary {
  dir: string;
  now: string;
  dryRun: boolean;
  files: PrunedFile[];
  removed: number;
}

interface FileScan {
  file: string;
  records: number;
  /** The latest call of each debt in the file. */
  debts: Map<string, number>;
  /** The latest call that is not about a debt. */
  telemarketingMs: number | undefined;
  undatedDebt: boolean;
  unreadable: boolean;
}

async function scan(file: string): Promise<FileScan> {
  const found: FileScan = {
    file,
    records: 0,
    debts: new Map(),
    telemarketingMs: undefined,
    undatedDebt: false,
    unreadable: false,
  };
  for await (const { text } of inputLines(file)) {
    if (text === "" || isManifestLine(text)) continue;
    let record: { at?: unknown; account?: unknown; debts?: unknown; kind?: unknown };
    try {
      record = JSON.parse(text);
    } catch {
      found.unreadable = true;
      continue;
    }
    found.records += 1;
    const atMs = typeof record.at === "string" ? Date.parse(record.at) : Number.NaN;
    if (!Number.isFinite(atMs)) {
      found.unreadable = true;
      continue;
    }
    const debts = new Set<string>(Array.isArray(record.debts) ? record.debts.map(String) : []);
    if (typeof record.account === "string") debts.add(record.account);
    if (debts.size === 0 && record.kind === "collections") found.undatedDebt = true;
    else if (debts.size === 0) found.telemarketingMs = Math.max(found.telemarketingMs ?? atMs, atMs);
    for (const debt of debts) found.debts.set(debt, Math.max(found.debts.get(debt) ?? atMs, atMs));
  }
  return found;
}

/** The evidence files of a directory (NDJSON whose first line is a record or a manifest). */
async function evidenceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!statSync(file).isFile() || !name.endsWith(".ndjson")) continue;
    for await (const { text } of inputLines(file)) {
      if (isEvidenceLine(text)) files.push(file);
      break;
    }
  }
  return files;
}

export async function pruneEvidence(
  store: Store,
  request: { dir: string; dryRun: boolean },
  nowMs: number,
): Promise<PruneSummary> {
  let isDir = false;
  try {
    isDir = statSync(request.dir).isDirectory();
  } catch {}
  if (!isDir) throw new InputError({ field: "dir", rule: `${request.dir} is not a directory` });
  const scans = await Promise.all((await evidenceFiles(request.dir)).map(scan));
  // The debts' last activity: every file of the directory, then the store's calls and touches.
  const last = new Map<string, number>();
  for (const s of scans) for (const [debt, ms] of s.debts) last.set(debt, Math.max(last.get(debt) ?? ms, ms));
  if (last.size > 0) {
    const fromMs = Math.min(...last.values());
    const stored = await callsOf(
      { store, given: [] },
      { phones: [], accounts: last.keys(), window: { fromMs, toMs: nowMs } },
    );
    for (const debt of last.keys())
      for (const call of stored.ofAccount(debt))
        last.set(debt, Math.max(last.get(debt) ?? call.atMs, call.atMs));
  }
  const summary: PruneSummary = {
    dir: request.dir,
    now: new Date(nowMs).toISOString(),
    dryRun: request.dryRun,
    files: [],
    removed: 0,
  };
  for (const s of scans) {
    let untilMs = Number.NEGATIVE_INFINITY;
    let why = "";
    for (const debt of s.debts.keys()) {
      const lastMs = last.get(debt) as number;
      const ms = addYears(lastMs, COLLECTIONS_YEARS);
      if (ms > untilMs) {
        untilMs = ms;
        why = `debt ${debt}: ${COLLECTIONS_YEARS} years after its last collection activity known (${new Date(lastMs).toISOString()})`;
      }
    }
    if (s.telemarketingMs !== undefined) {
      const ms = addYears(s.telemarketingMs, TELEMARKETING_YEARS);
      if (ms > untilMs) {
        untilMs = ms;
        why = `a call not about a debt: ${TELEMARKETING_YEARS} years after it (${new Date(s.telemarketingMs).toISOString()})`;
      }
    }
    const undatable = s.undatedDebt || s.unreadable || s.records === 0;
    if (undatable)
      why = s.unreadable
        ? "a line that is not a readable record: kept"
        : s.records === 0
          ? "no record: kept"
          : "a collections call naming no debt: its last activity cannot be known: kept";
    const expired = !undatable && untilMs < nowMs;
    const entry: PrunedFile = {
      file: s.file,
      records: s.records,
      keepUntil: undatable ? null : new Date(untilMs).toISOString(),
      why,
      action: expired ? (request.dryRun ? "would-remove" : "removed") : "kept",
    };
    if (expired && !request.dryRun) {
      rmSync(s.file);
      summary.removed += 1;
    }
    summary.files.push(entry);
  }
  return summary;
}
