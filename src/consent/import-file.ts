import { type ImportRow, importFormatOf, importRows } from "../core/import-file-rows.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import { assertTextInputFileWithin } from "../core/input-file.ts";
import { inSignalSlices } from "../core/signal-slices.ts";
import { type Channel, type Revocation, revocationOf } from "./revocation.ts";
import type { ScopeText } from "./scope.ts";

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

export { type ImportFormat, importFormatOf } from "../core/import-file-rows.ts";

type Row = ImportRow;

/**
 * Checks every row; throws an InputError (nothing recorded) when any is wrong. Returns the row
 * count and how many rows are of scope `all` (those reach every tenant of the seller). A FIFO or
 * a device is refused before it is opened, and a file that is not UTF-8 before a row is read,
 * naming its line (issue 78 §6, §7: a Latin-1 source was stored as `Jos\uFFFD`).
 */
export async function checkRevocationFile(
  file: string,
  options: { nowMs: number; defaultScope?: ScopeText; defaultChannel?: Channel; checkAccount?: AccountCheck },
  /** The call's signal (issue 80 §2): the check stops with its reason, whatever the file's size. */
  signal?: AbortSignal,
): Promise<{ rows: number; scopeAll: number; messages: MessageCounts }> {
  importFormatOf(file);
  await assertTextInputFileWithin(file, "file", signal);
  const problems: InputProblem[] = [];
  let rows = 0;
  let scopeAll = 0;
  const messages: MessageCounts = { recorded: 0, review: 0, other: 0 };
  for await (const row of inSignalSlices(readRows(file), signal)) {
    rows += 1;
    const {
      revocation,
      problems: found,
      message,
    } = revocationOf(row.fields, {
      nowMs: options.nowMs,
      defaults: defaultsOf(options),
      row: row.line,
    });
    if (message) messages[message.intent.verdict === "revocation" ? "recorded" : message.intent.verdict] += 1;
    if (revocation?.scope.kind === "all" && (!message || message.intent.verdict === "revocation"))
      scopeAll += 1;
    for (const p of found) if (problems.length < MAX_PROBLEMS) problems.push(p);
    if (revocation?.account !== undefined && options.checkAccount && problems.length < MAX_PROBLEMS) {
      const rule = await options.checkAccount(revocation.account, revocation.phone);
      if (rule) problems.push({ field: "account", row: row.line, rule });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  if (rows === 0) throw new InputError({ field: "file", rule: `${file} has no revocations` });
  return { rows, scopeAll, messages };
}

/** Rows with a `message`: how many the words made revocations, sent to review, or neither. */
export interface MessageCounts {
  recorded: number;
  review: number;
  other: number;
}

/** The file's revocations (the file already checked). */
export async function* revocationsOf(
  file: string,
  options: { nowMs: number; defaultScope?: ScopeText; defaultChannel?: Channel },
  signal?: AbortSignal,
): AsyncGenerator<Revocation> {
  for await (const row of inSignalSlices(readRows(file), signal)) {
    const { revocation, message } = revocationOf(row.fields, {
      nowMs: options.nowMs,
      defaults: defaultsOf(options),
    });
    // A message's row is a revocation only when its words say so (consent/message-intent.ts).
    if (revocation && (!message || message.intent.verdict === "revocation")) yield revocation;
  }
}

/** The file's messages a person has to read (unclear words), as review items' input. */
export async function* reviewsOf(
  file: string,
  options: { nowMs: number; defaultScope?: ScopeText; defaultChannel?: Channel },
  signal?: AbortSignal,
): AsyncGenerator<{ revocation: Revocation; message: string; basis: string }> {
  for await (const row of inSignalSlices(readRows(file), signal)) {
    const { revocation, message } = revocationOf(row.fields, {
      nowMs: options.nowMs,
      defaults: defaultsOf(options),
    });
    if (revocation && message?.intent.verdict === "review")
      yield { revocation, message: message.text, basis: message.intent.basis };
  }
}

const defaultsOf = (options: { defaultScope?: ScopeText; defaultChannel?: Channel }) => ({
  ...(options.defaultScope ? { scope: options.defaultScope } : {}),
  ...(options.defaultChannel ? { channel: options.defaultChannel } : {}),
});

/** Each line names `phone` or `account`, `at` and `channel` (a missing column is named). */
const SHAPE = {
  required: REQUIRED,
  oneOf: ["phone", "account"],
  columns: "phone and/or account, at, channel, scope?, source?, message?",
};

const readRows = (file: string): AsyncGenerator<Row> => importRows(file, SHAPE);
