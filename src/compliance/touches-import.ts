import { AccountPairs, rememberAccountNumbers } from "../consent/accounts.ts";
import type { MessageCounts } from "../consent/import-file.ts";
import type { MessageIntent } from "../consent/message-intent.ts";
import { queueForReview, type ReviewItem, reviewItemOf } from "../consent/review-queue.ts";
import { type Channel as LedgerChannel, type Revocation, revocationOf } from "../consent/revocation.ts";
import { ACCOUNT_PATTERN, ACCOUNT_RULE, campaignIdProblem } from "../core/ids.ts";
import { type ImportRow, importRows } from "../core/import-file-rows.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import { assertTextInputFileWithin } from "../core/input-file.ts";
import { zonedInstantMs, zonedInstantProblem } from "../core/instant-input.ts";
import { NANP_OR_UK_RULE, parseNanpOrUk } from "../core/phone-number.ts";
import { inSignalSlices } from "../core/signal-slices.ts";
import type { Store } from "../core/store/index.ts";
import { deadlineOfRevocation } from "./revocation-report.ts";
import { CALL_VOICES, type CallVoice } from "./rule-table.ts";
import {
  CHANNEL_RULE,
  type Channel,
  isChannel,
  TOUCH_PURPOSES,
  type TouchPurpose,
  VOICE,
} from "./touches.ts";
import { recordTouches, type TouchRecord } from "./touches-store.ts";

/**
 * `cxo touches import --file touches.csv|.ndjson` (issue 79 §1): touches made elsewhere (an SMS
 * platform, an email tool, another dialer), columns `phone, at, channel, account?, campaign?,
 * seller?, answered?`, and (issue 92) `voice?` (a call's: live, prerecorded, ai), `purpose?`
 * (`revocation-confirmation`: the one text confirming a revocation by text) and `message?`. A row
 * with a `message` is the consumer's inbound text (a reply to a text, an email), not a touch of
 * the caller's: it is read as `consent import` reads one (consent/revocation.ts, the same
 * classifier) — a revocation recorded in the consent ledger at its instant, unclear words queued
 * for a person's review, other words counted — and never counted toward a cap. The whole file is
 * checked first — any bad row is an InputError naming its line and field (a number given two
 * accounts too), and nothing is recorded — then it is read again and recorded in batches; a
 * touch's id is a digest of what it is, so importing the same file again adds nothing (nor do the
 * ledger's and the review queue's ids). The file's (account, number) pairs are kept
 * (consent/accounts.ts): a debt's calls are counted on every number a file gave it.
 */
const SHAPE = {
  required: ["phone", "at", "channel"],
  columns: "phone, at, channel, account?, campaign?, seller?, answered?, voice?, purpose?, message?",
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

/** A row's inbound message: the revocation its words make (or would make, for review), and their verdict. */
export interface InboundMessage {
  revocation: Revocation;
  text: string;
  intent: MessageIntent;
}

/** A message's channel in the consent ledger: a text's, an email's, or said on a call. */
const LEDGER_CHANNEL: Record<Channel, LedgerChannel> = {
  sms: "sms",
  email: "email",
  call: "call",
  callback: "call",
  voicemail: "call",
};

/**
 * One row as a touch (or, with a `message`, an inbound message), or its problems (each naming the
 * row's line and the field).
 */
export function touchOfRow(
  row: ImportRow,
  nowMs: number,
): { touch?: TouchRecord; inbound?: InboundMessage; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const bad = (field: string, rule: string) => problems.push({ field, row: row.line, rule });
  const f = row.fields;
  const phoneText = text(f.phone);
  const phone = phoneText === undefined ? undefined : parseNanpOrUk(phoneText)?.e164;
  if (!phone) bad("phone", phoneText === undefined ? "is required" : NANP_OR_UK_RULE);
  const atText = text(f.at);
  const atMs = atText === undefined ? undefined : zonedInstantMs(atText);
  if (atMs === undefined)
    bad("at", atText === undefined ? "is required" : (zonedInstantProblem(atText) ?? ""));
  // A touch "made" in the future would count toward caps before it happened, and hide a clock error.
  else if (atMs > nowMs) bad("at", `is in the future (${atText}): a touch is recorded once it was made`);
  const channel = text(f.channel)?.toLowerCase();
  if (!isChannel(channel)) bad("channel", CHANNEL_RULE);
  const account = text(f.account);
  if (account !== undefined && !ACCOUNT_PATTERN.test(account)) bad("account", ACCOUNT_RULE);
  const campaign = text(f.campaign);
  const campaignProblem = campaignIdProblem(campaign, "campaign");
  if (campaignProblem) bad(campaignProblem.field, campaignProblem.rule);
  const seller = text(f.seller);
  if (seller !== undefined && !SELLER_PATTERN.test(seller))
    bad("seller", "must be a seller name: 1-64 lowercase letters, digits or '-' (consent.seller)");
  const answeredText = typeof f.answered === "boolean" ? String(f.answered) : text(f.answered)?.toLowerCase();
  const answered = answeredText === undefined ? undefined : ANSWERED[answeredText];
  if (answeredText !== undefined && answered === undefined)
    bad("answered", "must be true or false (yes/no, 1/0)");
  const { voice, purpose } = markOf(f, channel, bad);
  const message = f.message === undefined || f.message === null || f.message === "" ? undefined : f.message;
  if (message !== undefined && (voice !== undefined || purpose !== undefined))
    bad(
      "message",
      "is the consumer's inbound text: a row with one names no voice or purpose (those mark a touch of yours)",
    );
  if (problems.length > 0 || !phone || !isChannel(channel) || atMs === undefined) return { problems };
  if (message !== undefined) return inboundOfRow(row, { phone, account, channel, message, nowMs }, problems);
  return {
    touch: {
      phone,
      atMs,
      channel,
      ...(account === undefined ? {} : { accountId: account }),
      ...(campaign === undefined ? {} : { campaignId: campaign }),
      ...(seller === undefined ? {} : { seller }),
      ...(answered === undefined ? {} : { answered }),
      ...(voice === undefined ? {} : { voice }),
      ...(purpose === undefined ? {} : { purpose }),
    },
    problems,
  };
}

/** The row's `voice` (a call's) and `purpose`, checked. */
function markOf(
  f: ImportRow["fields"],
  channel: string | undefined,
  bad: (field: string, rule: string) => void,
): { voice?: CallVoice; purpose?: TouchPurpose } {
  const voiceText = text(f.voice)?.toLowerCase();
  const voice = CALL_VOICES.find((v) => v === voiceText);
  if (voiceText !== undefined && voice === undefined)
    bad("voice", `is ${JSON.stringify(text(f.voice))}: must be one of ${CALL_VOICES.join(", ")}`);
  else if (voice !== undefined && !(VOICE as readonly string[]).includes(channel ?? ""))
    bad("voice", `is a call's (channel ${VOICE.join(", ")}), not a ${channel}'s`);
  const purposeText = text(f.purpose)?.toLowerCase();
  const purpose = TOUCH_PURPOSES.find((p) => p === purposeText);
  if (purposeText !== undefined && purpose === undefined)
    bad("purpose", `must be ${TOUCH_PURPOSES.join(" or ")} (or empty: an ordinary touch)`);
  return { ...(voice === undefined ? {} : { voice }), ...(purpose === undefined ? {} : { purpose }) };
}

/** A row with a `message`: the revocation its words make, by consent import's own reading. */
function inboundOfRow(
  row: ImportRow,
  given: { phone: string; account: string | undefined; channel: Channel; message: unknown; nowMs: number },
  problems: InputProblem[],
): { inbound?: InboundMessage; problems: InputProblem[] } {
  const read = revocationOf(
    {
      phone: given.phone,
      account: given.account,
      at: row.fields.at,
      channel: LEDGER_CHANNEL[given.channel],
      source: `touches import line ${row.line}`,
      message: given.message,
    },
    { nowMs: given.nowMs, row: row.line },
  );
  problems.push(...read.problems);
  if (!read.revocation || !read.message) return { problems };
  return {
    inbound: { revocation: read.revocation, text: read.message.text, intent: read.message.intent },
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
  /**
   * Rows with a `message`: revocations their words made (recorded in the consent
   * ledger), messages queued for a person's review, and other words. Absent when no row has one.
   */
  messages?: { recorded: number; review: number; other: number };
}

/** Checks the whole file, then records it; nothing is recorded when any row is bad. */
export async function importTouches(
  store: Store,
  file: string,
  options: {
    nowMs: number;
    actor?: string | null;
    signal?: AbortSignal | undefined;
    /** `consent.cxoneDncGroup`: where a revocation a message made goes once CXone is told. */
    cxoneDncGroup?: string | undefined;
  },
): Promise<TouchImportSummary> {
  await assertTextInputFileWithin(file, "file", options.signal);
  const checked = await checkTouchFile(file, options);
  const touchRows = checked.rows - checked.messageRows;
  // The accounts first: a revocation naming one covers every number cxo knows for it.
  await rememberAccountNumbers(store.db, checked.accounts.pairs(), `touches ${file}`);
  let added = 0;
  let batch: TouchRecord[] = [];
  let revocations: Revocation[] = [];
  const reviews: ReviewItem[] = [];
  const flush = async () => {
    added += await recordTouches(store, batch, { source: `import:${file}`, actor: options.actor ?? null });
    batch = [];
    if (revocations.length === 0) return;
    const { recordRevocations } = await import("../consent/ledger.ts");
    await recordRevocations(store, revocations, {
      actor: options.actor ?? null,
      cxoneGroupId: options.cxoneDncGroup,
      batchAudit: { source: `touches import ${file}` },
      signal: options.signal,
    });
    revocations = [];
  };
  for await (const row of inSignalSlices(importRows(file, SHAPE), options.signal)) {
    const { touch, inbound } = touchOfRow(row, options.nowMs);
    if (touch) batch.push(touch);
    if (inbound?.intent.verdict === "revocation") revocations.push(inbound.revocation);
    // Unclear words are kept for a person (few: a file's worth is held until the end).
    if (inbound?.intent.verdict === "review")
      reviews.push(
        reviewItemOf(
          inbound.revocation,
          inbound.text,
          inbound.intent.basis,
          deadlineOfRevocation(inbound.revocation.phone, inbound.revocation.receivedAt),
        ),
      );
    if (batch.length + revocations.length >= BATCH) await flush();
  }
  await flush();
  if (reviews.length > 0) await queueForReview(store, reviews);
  return {
    file,
    rows: checked.rows,
    added,
    alreadyRecorded: touchRows - added,
    byChannel: checked.byChannel,
    ...(checked.messageRows > 0 ? { messages: checked.messages } : {}),
  };
}

/** The first read: every row checked (nothing recorded when any is bad), what it holds counted. */
async function checkTouchFile(file: string, options: { nowMs: number; signal?: AbortSignal | undefined }) {
  const problems: InputProblem[] = [];
  let rows = 0;
  let messageRows = 0;
  const byChannel: Record<string, number> = {};
  const messages: MessageCounts = { recorded: 0, review: 0, other: 0 };
  const accounts = new AccountPairs("account");
  for await (const row of inSignalSlices(importRows(file, SHAPE), options.signal)) {
    rows += 1;
    const { touch, inbound, problems: found } = touchOfRow(row, options.nowMs);
    for (const p of found) if (problems.length < MAX_PROBLEMS) problems.push(p);
    if (touch) byChannel[touch.channel] = (byChannel[touch.channel] ?? 0) + 1;
    if (inbound) {
      messageRows += 1;
      const verdict = inbound.intent.verdict;
      messages[verdict === "revocation" ? "recorded" : verdict] += 1;
    }
    const pair = touch
      ? { account: touch.accountId, phone: touch.phone }
      : { account: inbound?.revocation.account, phone: inbound?.revocation.phone ?? "" };
    if (pair.account !== undefined)
      try {
        accounts.add({ account: pair.account, phone: pair.phone }, row.line);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        for (const p of error.problems) if (problems.length < MAX_PROBLEMS) problems.push(p);
      }
  }
  if (problems.length > 0) throw new InputError(problems);
  if (rows === 0) throw new InputError({ field: "file", rule: `${file} has no touches` });
  return { rows, messageRows, byChannel, messages, accounts };
}
