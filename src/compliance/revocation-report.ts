import type { LedgerEntry } from "../consent/ledger.ts";
import { scopeCovers, scopeText } from "../consent/scope.ts";
import { parseNanp, UK_E164 } from "../core/phone-number.ts";
import { resolveCandidates } from "./candidates.ts";
import { confirmationRowOn, judgeConfirmation } from "./revocation-confirmation.ts";
import type { ReportChecked } from "./revocation-report-calls.ts";
import { revocationDeadline, revocationRuleOn } from "./revocation-rules.ts";
import type { RevokedCallbacks } from "./revoked-callbacks.ts";

/**
 * `cxo consent report`: each revocation with the deadline the rule table gives it
 * (US: 10 business days since 2025-04-11; Canada: 14 days), when it was honoured, whether that
 * was late, and every call made to the number after it within its scope (a breach, from the
 * outcomes). cxo honours at once; the deadline is what lateness is judged against, and a call
 * after the revocation is reported whatever the deadline says.
 */
export interface CallAfter {
  callId: string;
  campaignId: string;
  at: string;
  /** An imported touch's channel (`touches import`; absent: a call CXone made). */
  channel?: string;
  /** The voice an imported call used, when its row said. */
  voice?: string;
  /** An imported text marked as the confirmation of a revocation. */
  purpose?: string;
}

export interface ReportEntry {
  id: string;
  /** '' when the revocation names an account alone. */
  phone: string;
  /** The account it names: calls to any of its numbers count as calls after it. */
  account?: string;
  receivedAt: string;
  channel: string;
  source: string | null;
  scope: string;
  recordedBy: string | null;
  /** Honoured everywhere cxo decides, and in the CXone group when the tenant has one (else null until then). */
  honouredAt: string | null;
  deadline: string | null;
  /** The rule-table row the deadline comes from. */
  rule: string | null;
  /** How late the honouring was, in minutes (absent when on time or not yet due). */
  lateBy?: number;
  /** Not honoured yet and past its deadline. */
  overdue: boolean;
  cxone: LedgerEntry["cxone"];
  callsAfter: CallAfter[];
  /**
   * The one text confirming this revocation by text, sent within 5 minutes of it
   * (rule us-revocation-confirmation-text): allowed, so not among `callsAfter`.
   */
  confirmation?: CallAfter;
  /**
   * Scope `all`: the tenants of the seller that do not hold it (a fan-out a killed run left, not
   * finished yet: they still allow the number). Absent when every tenant the report could read does.
   */
  missingIn?: string[];
}

export interface ConsentReport {
  from: string;
  to: string;
  revocations: number;
  late: number;
  overdue: number;
  /** Revocations with at least one call after them: each is a breach to look into. */
  breached: number;
  /** Scope-`all` revocations a tenant of the seller does not hold yet (`missingIn`). */
  incomplete: number;
  /** The campaigns whose calls after each revocation were looked for (= `checked.campaigns`). */
  callsChecked: string[];
  /** What was read for calls after: the whole tenant by default, or the campaigns named. */
  checked: ReportChecked;
  entries: ReportEntry[];
  /**
   * CXone's pending scheduled callbacks, read where the platform has them: `toRevoked` are calls
   * CXone will place to numbers that revoked consent (each a breach to come: `consent honour`
   * deletes them).
   */
  scheduledCallbacks?: RevokedCallbacks;
}

/** When the entry was honoured everywhere it has to be (null: not yet). */
function honouredAtOf(entry: LedgerEntry): string | null {
  // Found gone from the CXone group (issue 78 §13): not honoured there until it is added again.
  if (entry.cxone.status === "none") return entry.honouredAt;
  return entry.cxone.status === "done" ? (entry.cxone.at ?? entry.honouredAt) : null;
}

/**
 * The rule-table row that governs a revocation of `phone` received at `receivedAt`, and the
 * deadline it gives (epoch ms): in the number's first zone, the country's row in force that day.
 */
function deadlineRuleOf(phone: string, receivedAt: string) {
  // A UK number's: no row. PECR and the UK GDPR set no period; the objection binds from when it
  // is made (PECR reg 21(1)(a): "has previously notified"), and cxo honours it at once.
  if (UK_E164.test(phone)) return { rule: undefined, deadlineMs: undefined };
  const number = parseNanp(phone);
  const candidates = number ? resolveCandidates({ number }) : undefined;
  const country = candidates?.jurisdictions.includes("CA") ? "CA" : "US";
  const zone = candidates?.zones[0]?.zone ?? "America/New_York";
  const rule = revocationRuleOn(country, receivedAt.slice(0, 10));
  return { rule, deadlineMs: rule ? revocationDeadline(rule, Date.parse(receivedAt), zone) : undefined };
}

/** The deadline (ISO) a revocation of `phone` received at `receivedAt` has; null when no row applies. */
export function deadlineOfRevocation(phone: string, receivedAt: string): string | null {
  const { deadlineMs } = deadlineRuleOf(phone, receivedAt);
  return deadlineMs === undefined ? null : new Date(deadlineMs).toISOString();
}

export function reportEntryOf(entry: LedgerEntry, nowMs: number, calls: readonly CallAfter[]): ReportEntry {
  const { rule, deadlineMs } = deadlineRuleOf(entry.phone, entry.receivedAt);
  const honouredAt = honouredAtOf(entry);
  const honouredMs = honouredAt === null ? undefined : Date.parse(honouredAt);
  const lateMs = deadlineMs !== undefined && honouredMs !== undefined ? honouredMs - deadlineMs : 0;
  return {
    id: entry.id,
    phone: entry.phone,
    ...(entry.account === undefined ? {} : { account: entry.account }),
    receivedAt: entry.receivedAt,
    channel: entry.channel,
    source: entry.source,
    scope: scopeText(entry.scope),
    recordedBy: entry.recordedBy,
    honouredAt,
    deadline: deadlineMs === undefined ? null : new Date(deadlineMs).toISOString(),
    rule: rule?.id ?? null,
    ...(lateMs > 0 ? { lateBy: Math.ceil(lateMs / 60_000) } : {}),
    overdue: honouredMs === undefined && deadlineMs !== undefined && nowMs > deadlineMs,
    cxone: entry.cxone,
    ...afterRevocation(entry, calls),
  };
}

/**
 * The calls and touches after the revocation in its scope, but the one text that confirms a
 * revocation by text within 5 minutes (the confirmation row's own judgement, as a check's).
 */
function afterRevocation(
  entry: LedgerEntry,
  calls: readonly CallAfter[],
): { callsAfter: CallAfter[]; confirmation?: CallAfter } {
  const receivedMs = Date.parse(entry.receivedAt);
  const after = calls.filter((c) => Date.parse(c.at) > receivedMs && scopeCovers(entry.scope, c.campaignId));
  const row =
    entry.channel === "sms" ? confirmationRowOn(countryOf(entry.phone), entry.receivedAt) : undefined;
  if (!row) return { callsAfter: after };
  const sorted = [...after].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const confirmation = sorted.find(
    (c, i) =>
      c.purpose === "revocation-confirmation" &&
      judgeConfirmation(row, {
        channel: c.channel === "sms" ? "sms" : "call",
        atMs: Date.parse(c.at),
        textStopsMs: [receivedMs],
        touches: sorted.slice(0, i).map((o) => ({
          atMs: Date.parse(o.at),
          channel: o.channel === "sms" ? "sms" : "call",
          ...(o.purpose === "revocation-confirmation" ? { purpose: "revocation-confirmation" as const } : {}),
        })),
      }).allowed,
  );
  return confirmation
    ? { callsAfter: after.filter((c) => c !== confirmation), confirmation }
    : { callsAfter: after };
}

/** The number's country for the rule table ("US" unless its area code is Canadian). */
function countryOf(phone: string): "US" | "CA" {
  const number = parseNanp(phone);
  return number && resolveCandidates({ number }).jurisdictions.includes("CA") ? "CA" : "US";
}

export function summarize(
  entries: ReportEntry[],
  window: { from: string; to: string },
  checked: ReportChecked,
): ConsentReport {
  return {
    from: window.from,
    to: window.to,
    revocations: entries.length,
    late: entries.filter((e) => e.lateBy !== undefined).length,
    overdue: entries.filter((e) => e.overdue).length,
    breached: entries.filter((e) => e.callsAfter.length > 0).length,
    incomplete: entries.filter((e) => (e.missingIn?.length ?? 0) > 0).length,
    callsChecked: checked.campaigns,
    checked,
    entries,
  };
}
