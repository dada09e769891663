import { OneAccountPerNumber, rememberAccountNumbers } from "../../consent/accounts.ts";
import { ACCOUNT_PATTERN, ACCOUNT_RULE, ID_PATTERN, ID_RULE } from "../../core/ids.ts";
import { type ImportRow, importRows } from "../../core/import-file-rows.ts";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { assertTextInputFileWithin } from "../../core/input-file.ts";
import { inSignalSlices } from "../../core/signal-slices.ts";
import type { Store } from "../../core/store/index.ts";
import { AT_PATTERN } from "./check-input.ts";
import { NANP_RULE, parseNanp } from "./phone-number.ts";
import { CHANNEL_RULE, isChannel } from "./touches.ts";
import { recordTouches, type TouchRecord } from "./touches-store.ts";

/**
 * `cxo touches import --file touches.csv|.ndjson` (issue 79 §1): touches made elsewhere (an SMS
 * platform, an email tool, another dialer), columns `phone, at, channel, account?, campaign?,
 * seller?, answered?`. The whole file is checked first — any bad row is an InputError naming its
 * line and field (a number given two accounts too), and nothing is recorded — then it is read
 * again and recorded in batches; a touch's id is a digest of what it is, so importing the same
 * file again adds nothing. The file's (account, number) pairs are kept (consent/accounts.ts): a
 * debt's calls are counted on every number a file gave it.
 */
const SHAPE = {
  required: ["phone", "at", "channel"],
  columns: "phone, at, channel, account?, campaign?, seller?, answered?",
};
const MAX_PROBLEMS = 50;
const BATCH = 1_000;
const SELLER_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ANSWERED: Record<string, boolean> = {
  true: true,
  yes: true,
  "1": true,
  false: false,
  no: false,
  "0": false,
};

const text = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const s = typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : null;
  return s === null ? "\u0000" : s === "" ? undefined : s;
};

/** One row as a touch, or its problems (each naming the row's line and the field). */
export function touchOfRow(row: ImportRow, nowMs: number): { touch?: TouchRecord; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const bad = (field: string, rule: string) => problems.push({ field, row: row.line, rule });
  const f = row.fields;
  const phoneText = text(f.phone);
  const phone = phoneText === undefined ? undefined : parseNanp(phoneText)?.e164;
  if (!phone) bad("phone", phoneText === undefined ? "is required" : NANP_RULE);
  const atText = text(f.at);
  const atMs = atText !== undefined && AT_PATTERN.test(atText) ? Date.parse(atText) : Number.NaN;
  if (!Number.isFinite(atMs))
    bad("at", "must be an ISO-8601 date-time with an offset or Z (e.g. 2026-03-08T14:30:00-05:00)");
  // A touch "made" in the future would count toward caps before it happened, and hide a clock error.
  else if (atMs > nowMs) bad("at", `is in the future (${atText}): a touch is recorded once it was made`);
  const channel = text(f.channel)?.toLowerCase();
  if (!isChannel(channel)) bad("channel", CHANNEL_RULE);
  const account = text(f.account);
  if (account !== undefined && !ACCOUNT_PATTERN.test(account)) bad("account", ACCOUNT_RULE);
  const campaign = text(f.campaign);
  if (campaign !== undefined && !ID_PATTERN.test(campaign)) bad("campaign", ID_RULE);
  const seller = text(f.seller);
  if (seller !== undefined && !SELLER_PATTERN.test(seller))
    bad("seller", "must be a seller name: 1-64 lowercase letters, digits or '-' (consent.seller)");
  const answeredText = typeof f.answered === "boolean" ? String(f.answered) : text(f.answered)?.toLowerCase();
  const answered = answeredText === undefined ? undefined : ANSWERED[answeredText];
  if (answeredText !== undefined && answered === undefined)
    bad("answered", "must be true or false (yes/no, 1/0)");
  if (problems.length > 0 || !phone || !isChannel(channel)) return { problems };
  return {
    touch: {
      phone,
      atMs,
      channel,
      ...(account === undefined ? {} : { accountId: account }),
      ...(campaign === undefined ? {} : { campaignId: campaign }),
      ...(seller === undefined ? {} : { seller }),
      ...(answered === undefined ? {} : { answered }),
    },
    problems,
  };
}

export interface TouchImportSummary {
  file: string;
  rows: number;
  /** Touches recorded now. */
  added: number;
  /** Touches the store already held (an earlier import of the same rows). */
  alreadyRecorded: number;
  byChannel: Record<string, number>;
}

/** Checks the whole file, then records it; nothing is recorded when any row is bad. */
export async function importTouches(
  store: Store,
  file: string,
  options: { nowMs: number; actor?: string | null; signal?: AbortSignal | undefined },
): Promise<TouchImportSummary> {
  await assertTextInputFileWithin(file, "file", options.signal);
  const problems: InputProblem[] = [];
  let rows = 0;
  const byChannel: Record<string, number> = {};
  const accounts = new OneAccountPerNumber("account");
  for await (const row of inSignalSlices(importRows(file, SHAPE), options.signal)) {
    rows += 1;
    const { touch, problems: found } = touchOfRow(row, options.nowMs);
    for (const p of found) if (problems.length < MAX_PROBLEMS) problems.push(p);
    if (touch) byChannel[touch.channel] = (byChannel[touch.channel] ?? 0) + 1;
    if (touch?.accountId !== undefined)
      try {
        accounts.add({ account: touch.accountId, phone: touch.phone }, row.line);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        for (const p of error.problems) if (problems.length < MAX_PROBLEMS) problems.push(p);
      }
  }
  if (problems.length > 0) throw new InputError(problems);
  if (rows === 0) throw new InputError({ field: "file", rule: `${file} has no touches` });
  let added = 0;
  let batch: TouchRecord[] = [];
  const flush = async () => {
    added += await recordTouches(store, batch, { source: `import:${file}`, actor: options.actor ?? null });
    batch = [];
  };
  for await (const row of inSignalSlices(importRows(file, SHAPE), options.signal)) {
    const { touch } = touchOfRow(row, options.nowMs);
    if (touch) batch.push(touch);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await rememberAccountNumbers(store.db, accounts.pairs(), `touches ${file}`);
  return { file, rows, added, alreadyRecorded: rows - added, byChannel };
}
