import { open } from "node:fs/promises";
import { InputError, type InputProblem } from "../core/input-error.ts";
import { assertTextInputFileWithin } from "../core/input-file.ts";
import { csvRecords, ndjsonLineRule, ndjsonRows } from "../core/input-rows.ts";
import { inSignalSlices } from "../core/signal-slices.ts";
import { type Channel, type Revocation, revocationOf, type Scope } from "./revocation.ts";

/**
 * `cxo consent import --file revocations.csv|.ndjson` (issue 62 §1): columns `phone, at,
 * channel, scope?, source?`, and `account` (issue 77 §2: with or instead of `phone`). CSV may be comma- or semicolon-separated (the header says which)
 * and may start with a byte-order mark; NDJSON is one object a line. The whole file is checked
 * before anything is recorded: any bad row is an InputError naming its line and field, nothing
 * written. Then it is read again and recorded in batches; the ledger's ids make a re-run (after a
 * crash, or the same file twice) add only what is not in yet.
 */
const MAX_PROBLEMS = 50;
const REQUIRED = ["at", "channel"] as const;

/** Why a row's account cannot be recorded (consent/accounts.ts), or undefined. */
export type AccountCheck = (account: string, phone: string) => Promise<string | undefined>;

export type ImportFormat = "csv" | "ndjson";

export function importFormatOf(file: string): ImportFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  throw new InputError({ field: "file", rule: "must end in .csv, .ndjson or .jsonl" });
}

interface Row {
  line: number;
  fields: Record<string, unknown>;
}

/**
 * Checks every row; throws an InputError (nothing recorded) when any is wrong. Returns the row
 * count and how many rows are of scope `all` (those reach every tenant of the seller). A FIFO or
 * a device is refused before it is opened, and a file that is not UTF-8 before a row is read,
 * naming its line (issue 78 §6, §7: a Latin-1 source was stored as `Jos\uFFFD`).
 */
export async function checkRevocationFile(
  file: string,
  options: { nowMs: number; defaultScope?: Scope; defaultChannel?: Channel; checkAccount?: AccountCheck },
  /** The call's signal (issue 80 §2): the check stops with its reason, whatever the file's size. */
  signal?: AbortSignal,
): Promise<{ rows: number; scopeAll: number }> {
  importFormatOf(file);
  await assertTextInputFileWithin(file, "file", signal);
  const problems: InputProblem[] = [];
  let rows = 0;
  let scopeAll = 0;
  for await (const row of inSignalSlices(readRows(file), signal)) {
    rows += 1;
    const { revocation, problems: found } = revocationOf(row.fields, {
      nowMs: options.nowMs,
      defaults: defaultsOf(options),
      row: row.line,
    });
    if (revocation?.scope === "all") scopeAll += 1;
    for (const p of found) if (problems.length < MAX_PROBLEMS) problems.push(p);
    if (revocation?.account !== undefined && options.checkAccount && problems.length < MAX_PROBLEMS) {
      const rule = await options.checkAccount(revocation.account, revocation.phone);
      if (rule) problems.push({ field: "account", row: row.line, rule });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  if (rows === 0) throw new InputError({ field: "file", rule: `${file} has no revocations` });
  return { rows, scopeAll };
}

/** The file's revocations (the file already checked). */
export async function* revocationsOf(
  file: string,
  options: { nowMs: number; defaultScope?: Scope; defaultChannel?: Channel },
  signal?: AbortSignal,
): AsyncGenerator<Revocation> {
  for await (const row of inSignalSlices(readRows(file), signal)) {
    const { revocation } = revocationOf(row.fields, { nowMs: options.nowMs, defaults: defaultsOf(options) });
    if (revocation) yield revocation;
  }
}

const defaultsOf = (options: { defaultScope?: Scope; defaultChannel?: Channel }) => ({
  ...(options.defaultScope ? { scope: options.defaultScope } : {}),
  ...(options.defaultChannel ? { channel: options.defaultChannel } : {}),
});

function readRows(file: string): AsyncGenerator<Row> {
  return importFormatOf(file) === "csv" ? readCsv(file) : readNdjson(file);
}

async function unreadable(file: string, error: unknown): Promise<never> {
  throw new InputError({
    field: "file",
    rule: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
  });
}

/** `,` or `;`, whichever the header line uses. */
async function delimiterOf(file: string): Promise<string> {
  const handle = await open(file, "r").catch((error: unknown) => unreadable(file, error));
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const header = buffer.subarray(0, bytesRead).toString("utf8").split(/\r?\n/)[0] ?? "";
    return header.includes(";") && !header.includes(",") ? ";" : ",";
  } finally {
    await handle.close();
  }
}

async function* readCsv(file: string): AsyncGenerator<Row> {
  const delimiter = await delimiterOf(file);
  let header: string[] | undefined;
  for await (const item of csvRecords(file, "file", { delimiter })) {
    if (!header) {
      header = item.record.map((name) => name.trim());
      for (const column of REQUIRED)
        if (!header.includes(column))
          throw new InputError({
            field: column,
            rule: `${file} has no ${column} column (columns: phone and/or account, at, channel, scope?, source?)`,
          });
      if (!header.includes("phone") && !header.includes("account"))
        throw new InputError({
          field: "phone",
          rule: `${file} has neither a phone nor an account column (columns: phone and/or account, at, channel, scope?, source?)`,
        });
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((name, index) => {
      fields[name] = item.record[index];
    });
    yield { line: item.lines, fields };
  }
}

async function* readNdjson(file: string): AsyncGenerator<Row> {
  for await (const row of ndjsonRows(file)) {
    if ("problem" in row)
      throw new InputError({ field: "file", row: row.line, rule: ndjsonLineRule(file, row.line) });
    if (!("phone" in row.value) && !("account" in row.value))
      throw new InputError({
        field: "phone",
        row: row.line,
        rule: "is missing (each line needs phone or account, at, channel)",
      });
    yield { line: row.line, fields: row.value };
  }
}
