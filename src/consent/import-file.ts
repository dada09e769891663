import { createReadStream } from "node:fs";
import path from "node:path";
import { type ImportRow, importFormatOf, importRows } from "../core/import-file-rows.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import { assertReadableFile, assertTextInputFileWithin } from "../core/input-file.ts";
import { inSignalSlices } from "../core/signal-slices.ts";
import { withSpooledFile } from "../core/spool.ts";
import type { AccountNotice } from "./accounts.ts";
import { type Channel, type Revocation, revocationOf } from "./revocation.ts";
import type { ScopeText } from "./scope.ts";

/**
 * `cxo consent import --file revocations.csv|.ndjson` (issue 62 §1): columns `phone, at,
 * channel, scope?, source?`, and `account` (issue 77 §2: with or instead of `phone`). CSV may be comma- or semicolon-separated (the header says which)
 * and may start with a byte-order mark; NDJSON is one object a line. The whole file is checked
 * before anything is recorded: any bad row is an InputError naming its line and field, nothing
 * written. Then it is read again and recorded in batches; the ledger's ids make a re-run (after a
 * crash, or the same file twice) add only what is not in yet.
 *
 * Every pass reads one private copy of the file, made once at the start (`withFileReadOnce`):
 * the check, the review queue and each business unit's share of a scope-`all` import all read the
 * same bytes. Read by path for each pass, a file replaced mid-run left a seller's units holding
 * different revocations, and rows recorded that the check had never seen.
 */
const MAX_PROBLEMS = 50;
const REQUIRED = ["at", "channel"] as const;

/** What a row naming an account should say beside being recorded (consent/accounts.ts). */
export type AccountCheck = (account: string, phone: string) => Promise<AccountNotice[]>;

/** Rows naming an account cxo has not seen, or a phone it knows for other accounts: recorded, and said. */
export interface AccountNoticeCounts {
  /** Rows naming an account no list, history, plan or touches file cxo has read holds. */
  unseen: number;
  /** Rows whose phone cxo knows only for other accounts than the row's. */
  phoneOfOthers: number;
  /** The first notices (at most 20), each naming its row. */
  first: Array<AccountNotice & { row: number }>;
}

export { type ImportFormat, importFormatOf } from "../core/import-file-rows.ts";

type Row = ImportRow;

/** The import's file as read once: `path` the private copy every pass reads, `name` the user's file. */
export interface ImportSnapshot {
  path: string;
  name: string;
}

/**
 * Runs `work` on a private copy of `file` (mode 0600, in a directory of its own, removed
 * afterwards): the user's file is read once, whatever happens to it while the import runs. A FIFO
 * or a device is refused before it is opened; problems found later name `file`, not the copy.
 */
export async function withFileReadOnce<T>(
  file: string,
  work: (snapshot: ImportSnapshot) => Promise<T>,
): Promise<T> {
  importFormatOf(file);
  assertReadableFile(file, "file");
  return withSpooledFile(createReadStream(file), `revocations${path.extname(file).toLowerCase()}`, (copy) =>
    work({ path: copy, name: file }),
  );
}

/**
 * Checks every row; throws an InputError (nothing recorded) when any is wrong. Returns the row
 * count and how many rows are of scope `all` (those reach every tenant of the seller). A FIFO or
 * a device is refused before it is opened, and a file that is not UTF-8 before a row is read,
 * naming its line (issue 78 §6, §7: a Latin-1 source was stored as `Jos\uFFFD`).
 */
export async function checkRevocationFile(
  file: ImportSnapshot,
  options: { nowMs: number; defaultScope?: ScopeText; defaultChannel?: Channel; checkAccount?: AccountCheck },
  /** The call's signal (issue 80 §2): the check stops with its reason, whatever the file's size. */
  signal?: AbortSignal,
): Promise<{ rows: number; scopeAll: number; messages: MessageCounts; accounts: AccountNoticeCounts }> {
  importFormatOf(file.name);
  await assertTextInputFileWithin(file.path, "file", signal, file.name);
  const problems: InputProblem[] = [];
  let rows = 0;
  let scopeAll = 0;
  const messages: MessageCounts = { recorded: 0, review: 0, other: 0 };
  const accounts: AccountNoticeCounts = { unseen: 0, phoneOfOthers: 0, first: [] };
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
    // Only what will be recorded: a message in review or not a revocation names no account yet.
    const recorded = !message || message.intent.verdict === "revocation";
    if (revocation?.account !== undefined && recorded && options.checkAccount && problems.length === 0)
      for (const notice of await options.checkAccount(revocation.account, revocation.phone)) {
        accounts[notice.kind === "unseen" ? "unseen" : "phoneOfOthers"] += 1;
        if (accounts.first.length < 20) accounts.first.push({ ...notice, row: row.line });
      }
  }
  if (problems.length > 0) throw new InputError(problems);
  if (rows === 0) throw new InputError({ field: "file", rule: `${file.name} has no revocations` });
  return { rows, scopeAll, messages, accounts };
}

/** Rows with a `message`: how many the words made revocations, sent to review, or neither. */
export interface MessageCounts {
  recorded: number;
  review: number;
  other: number;
}

/** The file's revocations (the file already checked). */
export async function* revocationsOf(
  file: ImportSnapshot,
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
  file: ImportSnapshot,
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

const readRows = (file: ImportSnapshot): AsyncGenerator<Row> => importRows(file.path, SHAPE, file.name);
