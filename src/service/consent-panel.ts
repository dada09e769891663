import { cxoneDncCopyAge } from "../compliance/cxone-dnc-freshness.ts";
import { reportEntryOf } from "../compliance/revocation-report.ts";
import { LAST_SWEEP, type SweepRecord } from "../compliance/revoked-callbacks.ts";
import { countReceivedSince, type LedgerEntry, latestEntries } from "../consent/ledger.ts";
import { countUnlinked, cxoneLagMinutes, entriesForCxone } from "../consent/ledger-queue.ts";
import { reviewItems } from "../consent/review-queue.ts";
import { scopeText } from "../consent/scope.ts";
import { localDayStart } from "../core/local-day.ts";
import type { Store } from "../core/store/index.ts";
import {
  CONSENT_FINDINGS,
  type ConsentFinding,
  type ConsentFindings,
  FINDINGS_KEY,
} from "./consent-findings.ts";

/**
 * The board's consent panel (issue 77 §5): revocations received today (the board's time zone),
 * those overdue (not yet honoured where they must be, past their legal deadline), how long the
 * CXone DNC group took to hold what cxo recorded (the last 7 days), how old the synced copy of the
 * tenant's DNC groups is, and coverage gaps: skills cxo pushed lists to that the consent group
 * (`consent.cxoneDncGroup`) does not scrub, per that copy; and the service's last look at CXone's
 * scheduled callbacks (those to revoked numbers it deleted, and any it could not: each one a call
 * CXone will still place). Consumers' numbers are whole for
 * operators and masked to their last four digits for viewers (`mask`).
 */
export interface ConsentPanelSettings {
  cxoneDncGroup: string | undefined;
  cxoneDncMaxAgeMinutes: number;
}

export interface ConsentPanel {
  today: number;
  overdue: number;
  /**
   * Entries waiting for the CXone group (pending, being sent, found removed from it, or held by a
   * skill's group that no longer scrubs the skill).
   */
  awaitingCxone: number;
  lag: { entries: number; p50Minutes: number | null; maxMinutes: number | null };
  dncCopy: {
    syncedAt: string | null;
    ageMinutes: number | null;
    maxAgeMinutes: number;
    stale: boolean;
  } | null;
  group: string | null;
  coverageGaps: Array<{ skill: string; reason: string }>;
  /**
   * What the consent report last found over 30 days (consent-findings.ts): every revocation late,
   * overdue or called after, whatever its rank among the newest; null before its first run.
   */
  findings: {
    at: string;
    late: number;
    breached: number;
    rows: ConsentFinding[];
  } | null;
  /**
   * Lists cxo pushed that still hold records CXone did not take out although cxo asked (their
   * number may no longer be called): the plan pushes nothing more until they are out.
   */
  notRemoved: Array<{ campaignId: string | null; listId: string; listName: string; records: string[] }>;
  /** The last sweep of scheduled callbacks (null: none yet, or a platform without them). */
  callbacks: SweepRecord | null;
  /**
   * Issue 92 §3: inbound messages whose words a person has to read (`cxo consent review`), not
   * decided yet; those past the deadline a revocation received then would have are overdue.
   */
  review: { waiting: number; overdue: number; oldest: string | null };
  recent: Array<{
    phone: string;
    account: string | null;
    receivedAt: string;
    channel: string;
    scope: string;
    status: "honoured" | "awaiting-cxone" | "overdue";
  }>;
}

const WEEK_MS = 7 * 86_400_000;

/** The review queue's figures: messages waiting for a person, those overdue, the oldest's instant. */
async function reviewFigures(store: Store, nowMs: number): Promise<ConsentPanel["review"]> {
  const waiting = await reviewItems(store, nowMs);
  return {
    waiting: waiting.length,
    overdue: waiting.filter((item) => item.overdue).length,
    oldest: waiting[0]?.receivedAt ?? null,
  };
}

/** A number as a viewer sees it: its last four digits. */
export function maskPhone(phone: string): string {
  return phone.length <= 4 ? phone : `•••${phone.slice(-4)}`;
}

/** E.164 numbers inside a text (an audit record's target), masked. */
export function maskPhonesIn(text: string): string {
  return text.replace(/\+1\d{10}/g, (phone) => maskPhone(phone));
}

export async function consentPanel(
  store: Store,
  settings: ConsentPanelSettings,
  options: { timeZone: string; nowMs: number; hasDncGroups: boolean; mask: boolean },
): Promise<ConsentPanel> {
  const { nowMs } = options;
  const dayStart = localDayStart(nowMs, options.timeZone).toMillis();
  const awaiting = [
    ...(await entriesForCxone(store, "pending", 5000)),
    ...(await entriesForCxone(store, "sending", 5000)),
  ];
  const overdueIds = new Set(awaiting.filter((e) => reportEntryOf(e, nowMs, []).overdue).map((e) => e.id));
  const lags = await cxoneLagMinutes(store, nowMs - WEEK_MS);
  const statusOf = (e: LedgerEntry): ConsentPanel["recent"][number]["status"] =>
    e.cxone.status === "none" || e.cxone.status === "done"
      ? "honoured"
      : reportEntryOf(e, nowMs, []).overdue
        ? "overdue"
        : "awaiting-cxone";
  const copy = options.hasDncGroups
    ? await cxoneDncCopyAge(store, nowMs, settings.cxoneDncMaxAgeMinutes)
    : null;
  const found = await store.kv.get<ConsentFindings | null>(CONSENT_FINDINGS, FINDINGS_KEY);
  return {
    today: await countReceivedSince(store, dayStart),
    // The ledger's own count now, or the report's if it found more (its 30 days, all rows).
    overdue: Math.max(overdueIds.size, found?.overdue ?? 0),
    awaitingCxone: awaiting.length + (await countUnlinked(store)),
    lag: {
      entries: lags.length,
      p50Minutes: lags.length ? round(lags[Math.floor((lags.length - 1) / 2)] as number) : null,
      maxMinutes: lags.length ? round(lags.at(-1) as number) : null,
    },
    dncCopy: copy,
    group: settings.cxoneDncGroup ?? null,
    coverageGaps: options.hasDncGroups ? await coverageGaps(store, settings.cxoneDncGroup) : [],
    findings: found
      ? {
          at: found.at,
          late: found.late,
          breached: found.breached,
          rows: found.findings.map((f) => ({
            ...f,
            phone: f.phone === "" ? "" : options.mask ? maskPhone(f.phone) : f.phone,
          })),
        }
      : null,
    notRemoved: await notRemovedLists(store),
    callbacks: await lastSweep(store, options.mask),
    review: await reviewFigures(store, nowMs),
    recent: (await latestEntries(store, 10)).map((e) => ({
      phone: e.phone === "" ? "" : options.mask ? maskPhone(e.phone) : e.phone,
      account: e.account ?? null,
      receivedAt: e.receivedAt,
      channel: e.channel,
      scope: scopeText(e.scope),
      status: statusOf(e),
    })),
  };
}

const round = (minutes: number) => Math.round(minutes * 10) / 10;

async function lastSweep(store: Store, mask: boolean): Promise<SweepRecord | null> {
  const record = await store.kv.get<SweepRecord>(LAST_SWEEP.namespace, LAST_SWEEP.key);
  if (!record) return null;
  return mask
    ? { ...record, failed: record.failed.map((f) => ({ ...f, phone: maskPhone(f.phone) })) }
    : record;
}

/**
 * Skills cxo pushed lists to that the consent group does not scrub, and campaign-scoped skills
 * whose own group does not, per the synced copy (consent/coverage.ts asks the same of CXone).
 */
async function coverageGaps(
  store: Store,
  groupId: string | undefined,
): Promise<ConsentPanel["coverageGaps"]> {
  const { coverageGapsOf, coverageQuestionOf } = await import("../consent/coverage.ts");
  const { syncedGroups } = await import("../consent/dnc-group-copy.ts");
  const groups = await syncedGroups(store.db);
  const gaps = coverageGapsOf(groups, await coverageQuestionOf(store, groupId));
  return gaps.map(({ skill, reason }) => ({
    skill,
    reason:
      groupId !== undefined && groups.length === 0
        ? `the synced copy holds no group ${groupId}: sync it (cxo compliance dnc sync)`
        : reason,
  }));
}

/** The pushed lists holding records CXone has not taken out (strategy/push-removing.ts). */
async function notRemovedLists(store: Store): Promise<ConsentPanel["notRemoved"]> {
  const { pushedLists } = await import("../core/store/pushed-lists.ts");
  return (await pushedLists(store))
    .filter((l) => l.removing.length > 0)
    .map((l) => ({
      campaignId: l.campaignId ?? null,
      listId: l.listId,
      listName: l.listName,
      records: l.removing,
    }));
}
