import { createHash } from "node:crypto";
import { ACCOUNT_PATTERN, ACCOUNT_RULE } from "../core/ids.ts";
import type { InputProblem } from "../core/input-error.ts";
import { zonedInstantMs, zonedInstantProblem } from "../core/instant-input.ts";
import { NANP_OR_UK_RULE, parseNanpOrUk } from "../core/phone-number.ts";
import { classifyMessage, type MessageIntent } from "./message-intent.ts";
import { parseScope, type Scope, type ScopeText, scopeText, TENANT_SCOPE } from "./scope.ts";

/**
 * One revocation of consent, whatever channel it came by, as the ledger keeps it.
 * The FCC lets a person revoke by any reasonable means (47 CFR 64.1200(a)(10)): an agent told,
 * a reply "stop", an email, a web form, a letter.
 */
export type Channel = "agent" | "call" | "sms" | "email" | "web" | "mail";
export const CHANNELS: readonly Channel[] = ["agent", "call", "sms", "email", "web", "mail"];

/** A revocation of consent as recorded: the number or account it covers, its scope, channel and when it was made. */
export interface Revocation {
  /**
   * E.164; `""` when the revocation names an account only (issue 77 §2): then it covers every
   * number the account has, found when a number is checked (ledger.ts), never a snapshot.
   */
  phone: string;
  /**
   * The debtor's account (the list's account column, plan rows' `accountId`): the revocation
   * covers every number cxo reads for it, now and later (Regulation F, 12 CFR 1006.14(h)).
   */
  account?: string;
  /** When the person said it: ISO 8601 with an offset. */
  receivedAt: string;
  channel: Channel;
  /** Whom it covers (scope.ts). */
  scope: Scope;
  /** Where it came from (a system's name, a file, a call id). */
  source: string | null;
}

/** What the caller gives; checked by `revocationOf`. */
export interface RevocationInput {
  phone?: unknown;
  account?: unknown;
  at?: unknown;
  channel?: unknown;
  scope?: unknown;
  source?: unknown;
  /**
   * Issue 92 §3: the inbound message's text (a text's reply, an email's body). When given, the
   * row is a revocation only if the words say so (consent/message-intent.ts); unclear words go
   * to a person's review, other words are not a revocation.
   */
  message?: unknown;
}

/** A message's most bytes (UTF-8): a longer one is bad input. */
export const MAX_MESSAGE_BYTES = 10_240;

const MAX_SOURCE = 200;

/**
 * The revocation `input` describes, or the problems with it (field names as given by `names`:
 * the CLI's flags, a file's columns, the SDK's params). `defaults` fill what the input leaves
 * out; `nowMs` is the instant a revocation may not be later than.
 */
export function revocationOf(
  input: RevocationInput,
  options: {
    nowMs: number;
    /**
     * A sender's clock a little ahead of ours (a webhook's): an instant up to this far ahead is
     * taken as received now (issue 78 §9: honoured at once, never "allowed until then"). Default
     * 0: a revocation dated in the future is refused.
     */
    futureSlackMs?: number;
    /** `scope`: as the caller gave it (a flag, a parameter), read like a row's. */
    defaults?: { channel?: Channel; scope?: ScopeText; at?: string };
    names?: Partial<Record<keyof RevocationInput, string>>;
    row?: number;
  },
): { revocation?: Revocation; problems: InputProblem[]; message?: { text: string; intent: MessageIntent } } {
  const name = (key: keyof RevocationInput) => options.names?.[key] ?? key;
  const problems: InputProblem[] = [];
  const problem = (key: keyof RevocationInput, rule: string) =>
    problems.push({ field: name(key), rule, ...(options.row === undefined ? {} : { row: options.row }) });

  const account = accountOf(input.account);
  if (account === null) problem("account", ACCOUNT_RULE);
  const rawPhone = typeof input.phone === "string" ? input.phone.trim() : input.phone;
  // An account alone is enough: the phone is then every number the account has.
  const phoneless = (rawPhone === undefined || rawPhone === null || rawPhone === "") && account;
  // A UK number too (+44): a subscriber's objection binds the caller as a US revocation does
  // (PECR reg 21(1)(a); UK GDPR art 21(3)).
  const number = typeof rawPhone === "string" ? parseNanpOrUk(rawPhone) : null;
  if (!number && !phoneless)
    problem(
      "phone",
      account === undefined
        ? `${NANP_OR_UK_RULE}${options.names?.account ? ` (or name the account with ${options.names.account})` : ""}`
        : NANP_OR_UK_RULE,
    );

  const at = input.at === undefined || input.at === "" ? options.defaults?.at : input.at;
  let receivedAt: string | undefined;
  const atMs = zonedInstantMs(at);
  if (atMs === undefined) problem("at", zonedInstantProblem(at) ?? "");
  else if (atMs > options.nowMs + (options.futureSlackMs ?? 0))
    problem("at", "is in the future: a revocation is recorded when it was received, not before");
  else receivedAt = new Date(Math.min(atMs, options.nowMs)).toISOString();

  const channel =
    input.channel === undefined || input.channel === "" ? options.defaults?.channel : input.channel;
  if (typeof channel !== "string" || !(CHANNELS as readonly string[]).includes(channel.trim().toLowerCase()))
    problem("channel", `must be one of ${CHANNELS.join(", ")}`);

  const scope = scopeOfInput(
    input.scope === undefined || input.scope === "" ? options.defaults?.scope : input.scope,
  );
  if (scope === undefined) problem("scope", "must be tenant, all or campaign:<id>");

  let source: string | null = null;
  if (input.source !== undefined && input.source !== null && input.source !== "") {
    if (
      typeof input.source !== "string" ||
      input.source.length > MAX_SOURCE ||
      hasControlCharacter(input.source)
    )
      problem("source", `must be text of at most ${MAX_SOURCE} characters, without control characters`);
    else source = input.source;
  }
  let message: { text: string; intent: MessageIntent } | undefined;
  if (input.message !== undefined && input.message !== null && input.message !== "") {
    if (typeof input.message !== "string") problem("message", "must be the message's text");
    else if (Buffer.byteLength(input.message, "utf8") > MAX_MESSAGE_BYTES)
      problem("message", `must be at most ${MAX_MESSAGE_BYTES} bytes (10 kB)`);
    else message = { text: input.message, intent: classifyMessage(input.message) };
  }
  if (problems.length > 0 || (!number && !phoneless) || !receivedAt || scope === undefined)
    return { problems };
  return {
    ...(message ? { message } : {}),
    revocation: {
      phone: number ? number.e164 : "",
      ...(account ? { account } : {}),
      receivedAt,
      channel: (channel as string).trim().toLowerCase() as Channel,
      scope,
      source,
    },
    problems,
  };
}

/** The account named (undefined: none; null: not a valid id). */
function accountOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === "") return undefined;
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== "string") return null;
  return ACCOUNT_PATTERN.test(text.trim()) ? text.trim() : null;
}

/** The scope given (none: the tenant's); undefined when it is not one. */
function scopeOfInput(value: unknown): Scope | undefined {
  if (value === undefined) return TENANT_SCOPE;
  return typeof value === "string" ? parseScope(value) : undefined;
}

/**
 * The ledger's key: what the revocation says (number, instant, channel, scope). The same
 * revocation imported twice, or delivered twice by a webhook, is one entry.
 */
export function revocationId(r: Revocation): string {
  // A revocation without an account keeps the id it had before accounts existed (re-imports of
  // old files add nothing); one naming an account is another revocation than the number's alone.
  const account = r.account === undefined ? "" : `\u0000account:${r.account}`;
  const digest = createHash("sha256")
    .update(
      `${r.phone}\u0000${Date.parse(r.receivedAt)}\u0000${r.channel}\u0000${scopeText(r.scope)}${account}`,
    )
    .digest("hex");
  return `rev_${digest.slice(0, 32)}`;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
