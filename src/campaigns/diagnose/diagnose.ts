import { DateTime } from "luxon";
import { CAMPAIGN_BLOCKERS, type CauseCode, FIXES, PLAN_FED_FIXES, RECORD_CAUSES, TITLES } from "./causes.ts";
import { holdOf } from "./classify.ts";
import type { CallingHours, CampaignFacts, Cause, Diagnosis } from "./facts.ts";
import { forecast, iso } from "./forecast.ts";
import { scheduleOpen } from "./platform-hours.ts";

/**
 * Issue 65: why a campaign is (not) dialing, from what was observed of it. Pure: the facts, the
 * compliance engine's calling hours and the instant in; the ranked causes, the forecast and a
 * one-sentence summary out.
 *
 * Ranking: a cause that stops the whole campaign explains all of its idleness (share 1) and
 * comes first, in the order they must be cleared (causes.ts); then the causes that hold back
 * records, by how many records each holds, `list_exhausted` last (a finished record explains
 * idleness only when nothing else is left). Invariants the property test checks: `dialing` is
 * never true while nothing can be dialled, and a campaign that is not dialing always has a cause.
 */
export function diagnose(facts: CampaignFacts, hours: CallingHours, atMs: number): Diagnosis {
  const at = iso(atMs, facts.timeZone || "UTC");
  if (facts.unreachable) {
    const causes: Cause[] = [
      cause("cxone_unreachable", `CXone answered: ${facts.unreachable.message}`, { share: 1 }),
    ];
    return {
      campaignId: facts.campaignId,
      at,
      dialing: false,
      dialableNow: 0,
      causes,
      forecast: [],
      summary: summaryOf(causes, 0, undefined, atMs),
    };
  }
  const blockers = blockersOf(facts);
  const held = heldRecords(facts, hours, atMs);
  const dialableNow = held.dialable;
  const recordCauses = recordCausesOf(held, dialableNow, facts, hours, atMs);
  const causes = [...blockers, ...recordCauses].map((c) =>
    facts.planFed && PLAN_FED_FIXES[c.code] ? { ...c, fix: PLAN_FED_FIXES[c.code] as string } : c,
  );
  const dialing = blockers.length === 0 && dialableNow > 0;
  if (!dialing && causes.length === 0)
    causes.push(cause("list_exhausted", "the list has no record left to dial", { records: 0, share: 1 }));
  const predicted = forecast(facts, hours, atMs, blockers.length === 0);
  return {
    campaignId: facts.campaignId,
    at,
    dialing,
    dialableNow,
    causes,
    forecast: predicted.slots,
    ...(predicted.runsDryAt ? { runsDryAt: predicted.runsDryAt } : {}),
    summary: summaryOf(dialing ? [] : causes, dialableNow, predicted.runsDryAt, atMs),
  };
}

function cause(code: CauseCode, evidence: string, extra: Partial<Cause> = {}): Cause {
  return { code, ...extra, evidence, fix: FIXES[code] };
}

/** Causes that stop the campaign whatever its records are (each explains all idleness). */
function blockersOf(facts: CampaignFacts): Cause[] {
  const found: Cause[] = [];
  const all = { share: 1 };
  if (!facts.list) found.push(cause("no_list", "no calling list is bound to the campaign's skill", all));
  if (facts.skill.active === false) found.push(cause("skill_inactive", facts.skill.evidence, all));
  else if (facts.skill.running === false) found.push(cause("skill_not_running", facts.skill.evidence, all));
  if (facts.agents.loggedIn === 0) found.push(cause("no_agents_logged_in", facts.agents.evidence, all));
  else if (facts.agents.available === 0)
    found.push(cause("agents_not_available", facts.agents.evidence, all));
  const { abandon } = facts;
  if (abandon?.rate !== undefined && abandon.cap !== undefined && abandon.rate >= abandon.cap)
    found.push(
      cause(
        "abandon_cap_throttled",
        `abandonment ${(abandon.rate * 100).toFixed(2)}% ≥ cap ${(abandon.cap * 100).toFixed(2)}% (${abandon.evidence})`,
        all,
      ),
    );
  if (facts.pacing?.stopped) found.push(cause("pacing_stopped", facts.pacing.evidence, all));
  return found.sort((a, b) => CAMPAIGN_BLOCKERS.indexOf(a.code) - CAMPAIGN_BLOCKERS.indexOf(b.code));
}

interface Held {
  dialable: number;
  counts: Map<CauseCode, number>;
  /** outside_calling_hours: records per group. */
  closedGroups: Map<number, number>;
  /** waiting_for_call_request_time: the earliest call-request time. */
  nextCallAtMs: number | undefined;
}

function heldRecords(facts: CampaignFacts, hours: CallingHours, atMs: number): Held {
  const held: Held = { dialable: 0, counts: new Map(), closedGroups: new Map(), nextCallAtMs: undefined };
  for (const record of facts.list?.records ?? []) {
    const group = record.zone === undefined ? -1 : hours.groupOf(record);
    const hold = holdOf(record, atMs, facts, hours, group);
    if (hold === "dialable") {
      held.dialable++;
      continue;
    }
    held.counts.set(hold, (held.counts.get(hold) ?? 0) + 1);
    if (hold === "outside_calling_hours")
      held.closedGroups.set(group, (held.closedGroups.get(group) ?? 0) + 1);
    if (hold === "waiting_for_call_request_time" && record.callAtMs !== undefined)
      held.nextCallAtMs = Math.min(held.nextCallAtMs ?? Number.POSITIVE_INFINITY, record.callAtMs);
  }
  return held;
}

function recordCausesOf(
  held: Held,
  dialableNow: number,
  facts: CampaignFacts,
  hours: CallingHours,
  atMs: number,
): Cause[] {
  const total = [...held.counts.values()].reduce((a, b) => a + b, 0);
  const zone = facts.timeZone || "UTC";
  const source = facts.list?.evidence ?? "";
  const causes: Cause[] = [];
  for (const [code, records] of held.counts) {
    const share = dialableNow > 0 ? records / (records + dialableNow) : records / total;
    const extra: Partial<Cause> = { records, share: round(share) };
    let evidence = `${records} record(s) ${TITLES[code].replace(/^records (are |have )?/, "")} (${source})`;
    if (code === "outside_calling_hours") {
      const zones = closedZones(held.closedGroups, hours, atMs, zone);
      extra.zones = zones;
      const next = zones
        .map((z) => z.nextOpenAt)
        .filter((t): t is string => t !== null)
        .sort()[0];
      if (next) extra.until = next;
      evidence = `${records} record(s) in zones outside their calling hours now (the compliance engine, narrowed by the platform's own hours where it shows them): ${zones
        .map((z) => `${z.zone} ×${z.records} opens ${z.nextOpenAt ?? "not within 2 days"}`)
        .join("; ")}`;
      // The schedule closes every zone at once: say so, it is a setting an operator can change.
      if (facts.schedule && !scheduleOpen(facts.schedule, atMs))
        evidence = `the skill's weekly schedule is closed now (${facts.schedule.evidence}); ${evidence}`;
    }
    if (code === "waiting_for_call_request_time" && held.nextCallAtMs !== undefined)
      extra.until = iso(held.nextCallAtMs, zone);
    if (code === "max_attempts_reached") evidence += `; maximum attempts ${facts.maxAttempts}`;
    if (code === "non_fresh_excluded") evidence += "; the skill does not load non-fresh records";
    causes.push(cause(code, evidence, extra));
  }
  const tier = (code: CauseCode) => (code === "list_exhausted" ? 1 : 0);
  return causes.sort(
    (a, b) =>
      tier(a.code) - tier(b.code) ||
      (b.records ?? 0) - (a.records ?? 0) ||
      RECORD_CAUSES.indexOf(a.code) - RECORD_CAUSES.indexOf(b.code),
  );
}

function closedZones(groups: Map<number, number>, hours: CallingHours, atMs: number, zone: string) {
  const byZone = new Map<string, { records: number; next: number | undefined }>();
  for (const [group, records] of groups) {
    const name = hours.zoneOf(group);
    const next = hours.nextOpen(group, atMs);
    const entry = byZone.get(name) ?? { records: 0, next: undefined };
    entry.records += records;
    if (next !== undefined) entry.next = Math.min(entry.next ?? Number.POSITIVE_INFINITY, next);
    byZone.set(name, entry);
  }
  return [...byZone.entries()]
    .sort((a, b) => b[1].records - a[1].records)
    .map(([name, e]) => ({
      zone: name,
      records: e.records,
      nextOpenAt: e.next === undefined ? null : iso(e.next, zone),
    }));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** One sentence: what is wrong and what to do (or that all is well, with the dialable count). */
export function summaryOf(
  causes: Cause[],
  dialableNow: number,
  runsDryAt: string | undefined,
  atMs: number,
): string {
  const top = causes[0];
  if (!top) {
    const dry = runsDryAt
      ? `; the list runs dry at ${clock(runsDryAt)}, ${inWords(Date.parse(runsDryAt) - atMs)} from now`
      : "";
    return `Dialing: ${dialableNow} record(s) dialable now${dry}.`;
  }
  const until = top.until ? ` (until ${clock(top.until)})` : "";
  return `Not dialing: ${TITLES[top.code]}${until} — ${top.fix}.`;
}

const clock = (isoText: string) => {
  const t = DateTime.fromISO(isoText, { setZone: true });
  return t.isValid ? t.toFormat("yyyy-MM-dd HH:mm ZZ") : isoText;
};

function inWords(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}
