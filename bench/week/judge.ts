import { DateTime } from "luxon";
import {
  type CheckInput,
  checkDials,
  type Dial,
  emulatorListDials,
  type Violation,
} from "../dial-checker/index.ts";
import { faultStarts } from "./faults.ts";
import type { WeekAccount } from "./population.ts";
import { agentsAt } from "./population.ts";
import type { Alert, RunTime, WeekRun } from "./run-week.ts";
import type { Scenario } from "./scenario.ts";

/**
 * A week judged by the independent dial checker (bench/dial-checker: its own rule table, no code
 * shared with cxo) and its figures: right-party contacts (answered dials: an agent on the call)
 * per agent-hour, records dialled and reached per weekday, and the share of each weekday's
 * lawfully dialable records that were dialled.
 */
export interface DayFigures {
  date: string;
  dials: number;
  rpcs: number;
  recordsDialled: number;
  recordsReached: number;
  dialable: number;
  dialledOfDialable: number;
  /** dialledOfDialable / dialable (1 when nothing was dialable). */
  share: number;
}

export interface WeekFigures {
  mode: string;
  dials: number;
  rpcs: number;
  agentHours: number;
  rpcPerAgentHour: number;
  /**
   * RPCs on dials a floor may make: the checker found no fault with them (a call it flags is one
   * a lawful floor cannot make), and, in a sales week, not after a conversation with the
   * household (the scenario's rule: a sale ends the household's calls; `afterConversationDials`).
   */
  lawfulRpcs: number;
  /** Sales: dials to a household after a conversation with it (the scenario's rule forbids them). */
  afterConversation: number;
  lawfulRpcPerAgentHour: number;
  /**
   * Parties reached: the accounts (a debt, a household) with at least one lawful conversation in
   * the week. A second conversation with the same party the same week is a call Regulation F
   * forbids (collections) or, by the scenario's rule, one that follows the household's answer
   * (sales): it is counted in `rpcs`, not here.
   */
  partiesReached: number;
  partiesPerAgentHour: number;
  days: DayFigures[];
  violations: Violation[];
  interventions: number;
  stops: string[];
  /**
   * The autopilot's runs' wall time (ms): each `run --once` process (cron), each serve run (its step
   * lines). `first` alone (it reads what later runs resume), p50/p99 of the runs after it, and the
   * three slowest after it with their instants (which runs a p99 is made of).
   */
  runTime: { runs: number; first: number; p50: number; p99: number; slowest: RunTime[] };
  /** Serve week: how often the bench's own process (its emulator) stalled over a second, and the three longest. */
  stalls?: { count: number; longest: RunTime[] };
  /** Per weekday: the day report's `dialled` against the emulator's dials that day (the checker's count). */
  reportsMatch: Array<{ date: string; reported: number | null; dials: number; equal: boolean }>;
  /** Stops and attention items, each with the fault it followed and the delay from its start. */
  alerts: Array<Alert & { fault?: string; delayMinutes?: number }>;
}

/** p-th percentile (nearest rank) of the values; 0 when none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function revocationsOf(s: Scenario, accounts: WeekAccount[]): CheckInput["revocations"] {
  return s.revocations.flatMap((r): CheckInput["revocations"] => {
    const account = accounts.find((a) => a.accountId === r.account) as WeekAccount;
    if (r.channel === "letter" || r.number === undefined)
      return [{ at: r.at, scope: "account" as const, accountId: r.account, channel: r.channel }];
    const phone = (account.numbers[r.number - 1] ?? account.numbers[0])?.phone as string;
    return [{ at: r.at, scope: "number" as const, phone, channel: r.channel }];
  });
}

/**
 * Every account (debt, household) each number belongs to: a number the scenario lists for several
 * debts (a household line) has each call to it counted toward every one of them, as the checker
 * counts it (12 CFR 1006.14(b)(2): a call about several debts counts toward each).
 */
export function accountsOfPhones(accounts: readonly WeekAccount[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of accounts)
    for (const n of a.numbers) {
      const list = out.get(n.phone) ?? [];
      if (!list.includes(a.accountId)) list.push(a.accountId);
      out.set(n.phone, list);
    }
  return out;
}

export function agentHoursOf(s: Scenario): number {
  const startMs = Date.parse(s.weekStart);
  let total = 0;
  for (let h = 0; h < s.days * 24; h++) total += agentsAt(s, startMs + h * 3_600_000);
  return total;
}

export async function judgeWeek(
  s: Scenario,
  accounts: WeekAccount[],
  run: WeekRun,
): Promise<{ dials: Dial[]; figures: WeekFigures }> {
  const dials = (await emulatorListDials(run.emulatorUrl)).sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at),
  );
  const numbers = accounts.flatMap((a) => a.numbers);
  const history = accounts.flatMap((a) => a.history.map((h) => ({ ...h, accountId: a.accountId })));
  const revocations = revocationsOf(s, accounts);
  const weekly: Record<number, { start: string; end: string }> = {};
  for (let d = 1; d <= 5; d++) weekly[d] = s.skill.schedule;
  // Regulation F is a debt collector's rule: a sales week is judged without it (the checker's
  // table applies it to every account).
  const judged = checkDials({
    numbers: numbers.map((n) => ({ phone: n.phone, zone: n.zone, state: n.state })),
    accounts: accounts.map((a) => ({ accountId: a.accountId, phones: a.numbers.map((n) => n.phone) })),
    history,
    dials,
    revocations,
    schedule: {
      zone: s.zone,
      weekly,
      changes: s.supervisor.map((e) => e.at),
      graceMinutes: Math.max(10, s.autopilot.everyMinutes + 5),
    },
  });
  const violations = s.kind === "sales" ? judged.filter((v) => !v.rule.startsWith("reg-f")) : judged;
  const agentHours = agentHoursOf(s);
  const rpcs = dials.filter((d) => d.conversation).length;
  const flagged = new Set(violations.map((v) => v.dials[v.dials.length - 1]));
  const afterConversation = s.kind === "sales" ? afterConversationDials(accounts, dials) : new Set<string>();
  for (const id of afterConversation) flagged.add(id);
  const lawfulRpcs = dials.filter((d) => d.conversation && !flagged.has(d.id)).length;
  const accountsOf = accountsOfPhones(accounts);
  // A conversation on a number of several debts reaches each of them.
  const partiesReached = new Set(
    dials.filter((d) => d.conversation && !flagged.has(d.id)).flatMap((d) => accountsOf.get(d.phone) ?? []),
  ).size;
  const reports = run.dayReports as Array<{
    date?: string;
    dialled?: number;
    interventions?: unknown[];
    stopped?: { reason: string };
  }>;
  const days = dayFigures(s, accounts, dials, revocations, new Set(run.dncAtStart));
  const starts = faultStarts(s);
  const later = run.runs.slice(1);
  return {
    dials,
    figures: {
      mode: run.mode,
      dials: dials.length,
      rpcs,
      agentHours,
      rpcPerAgentHour: agentHours ? rpcs / agentHours : 0,
      lawfulRpcs,
      lawfulRpcPerAgentHour: agentHours ? lawfulRpcs / agentHours : 0,
      afterConversation: afterConversation.size,
      partiesReached,
      partiesPerAgentHour: agentHours ? partiesReached / agentHours : 0,
      days,
      violations,
      interventions: reports.reduce((a, r) => a + (r.interventions?.length ?? 0), 0),
      stops: [
        ...reports.flatMap((r) => (r.stopped ? [r.stopped.reason] : [])),
        ...run.events
          .filter((e) => /STOPPED/.test(e.detail))
          .map((e) => `${e.at}: ${e.detail.split("STOPPED: ")[1]}`),
      ].filter((v, i, all) => all.indexOf(v) === i),
      runTime: {
        runs: run.runs.length,
        first: run.runs[0]?.ms ?? 0,
        p50: percentile(
          later.map((r) => r.ms),
          50,
        ),
        p99: percentile(
          later.map((r) => r.ms),
          99,
        ),
        slowest: [...later].sort((a, b) => b.ms - a.ms).slice(0, 3),
      },
      ...(run.stalls
        ? {
            stalls: {
              count: run.stalls.length,
              longest: [...run.stalls].sort((a, b) => b.ms - a.ms).slice(0, 3),
            },
          }
        : {}),
      reportsMatch: days.map((d) => {
        const report = reports.find((r) => r.date === d.date);
        const reported = typeof report?.dialled === "number" ? report.dialled : null;
        return { date: d.date, reported, dials: d.dials, equal: reported === d.dials };
      }),
      alerts: run.alerts.map((a) => {
        const ms = Date.parse(a.at);
        const fault = starts.filter((f) => f.fromMs <= ms).sort((x, y) => y.fromMs - x.fromMs)[0];
        return fault
          ? { ...a, fault: fault.kind, delayMinutes: Math.round((ms - fault.fromMs) / 60_000) }
          : a;
      }),
    },
  };
}

/**
 * The dials to a household made after a conversation with it (on any of its numbers, in its
 * history or earlier in the week): the sales scenarios' rule is that a sale — a conversation —
 * ends the household's calls, as Regulation F's 7 days after a conversation end a debt's for a
 * collections week. A floor that keeps the rule cannot make these calls, so their conversations
 * are not counted among the RPCs it may have (`lawfulRpcs`), as the checker's Regulation F
 * findings are not in a collections week.
 */
export function afterConversationDials(accounts: WeekAccount[], dials: readonly Dial[]): Set<string> {
  const accountsOf = accountsOfPhones(accounts);
  const talked = new Map<string, number>();
  for (const a of accounts)
    for (const h of a.history)
      if (h.conversation)
        talked.set(a.accountId, Math.min(talked.get(a.accountId) ?? Infinity, Date.parse(h.at)));
  const after = new Set<string>();
  for (const d of [...dials].sort((x, y) => Date.parse(x.at) - Date.parse(y.at))) {
    const owners = accountsOf.get(d.phone) ?? [];
    const at = Date.parse(d.at);
    if (owners.some((account) => (talked.get(account) ?? Number.POSITIVE_INFINITY) < at)) after.add(d.id);
    else if (d.conversation)
      for (const account of owners) talked.set(account, Math.min(talked.get(account) ?? at, at));
  }
  return after;
}

/**
 * Per weekday (the business unit's zone): dials, RPCs, records dialled and reached, and the
 * records lawfully dialable that day — not revoked by the day's start, their debt not spoken to
 * in the 7 days before (history and the week so far), fewer than 7 calls about it in the 6 days
 * before, and not a number left undialled of a debt reached that day (after the conversation it
 * may not be called) or revoked that day before it was dialled, nor one a DNC group scrubbing the
 * skill held when the week began; a collections debt's numbers counted as far as its 7 calls in 7
 * days allow — and how many of those were dialled that day.
 */
export function dayFigures(
  s: Scenario,
  accounts: WeekAccount[],
  dials: Dial[],
  revocations: CheckInput["revocations"],
  /** Numbers (ten digits) a DNC group scrubbing the skill held at the week's start. */
  dnc: ReadonlySet<string> = new Set(),
): DayFigures[] {
  // A call to a number of several debts is about each of them.
  const accountsOf = accountsOfPhones(accounts);
  const about = (phone: string, account: string) => (accountsOf.get(phone) ?? []).includes(account);
  const calls = [
    ...accounts.flatMap((a) =>
      a.history.map((h) => ({ phone: h.phone, ms: Date.parse(h.at), conversation: h.conversation })),
    ),
    ...dials.map((d) => ({ phone: d.phone, ms: Date.parse(d.at), conversation: d.conversation })),
  ];
  const out: DayFigures[] = [];
  const first = DateTime.fromISO(s.weekStart, { setZone: true }).setZone(s.zone).startOf("day");
  for (let d = 0; d < s.days; d++) {
    const start = first.plus({ days: d });
    if (start.weekday > 5) continue;
    const fromMs = start.toMillis();
    const toMs = start.plus({ days: 1 }).toMillis();
    const today = dials.filter((x) => Date.parse(x.at) >= fromMs && Date.parse(x.at) < toMs);
    const dialledPhones = new Set(today.map((x) => x.phone));
    const reached = new Set(today.filter((x) => x.conversation).map((x) => x.phone));
    let dialable = 0;
    let dialledOfDialable = 0;
    for (const a of accounts) {
      const before = calls.filter((c) => about(c.phone, a.accountId) && c.ms < fromMs);
      if (before.some((c) => c.conversation && c.ms >= fromMs - 6 * 86_400_000)) continue;
      if (s.kind === "sales" && before.some((c) => c.conversation)) continue;
      const callsBefore = before.filter((c) => c.ms >= fromMs - 6 * 86_400_000).length;
      if (callsBefore >= 7) continue;
      // A debt reached today: a number not dialled before the conversation may not be called
      // after it (Regulation F, 12 CFR 1006.14(b)(2)(i)(B); for sales, the scenario's rule that
      // a conversation ends the household's calls) — it was not lawfully dialable that day.
      const reachedToday = today.some((x) => x.conversation && about(x.phone, a.accountId));
      let eligible = 0;
      let dialledHere = 0;
      for (const n of a.numbers) {
        const dialled = dialledPhones.has(n.phone);
        if (reachedToday && !dialled) continue;
        if (dnc.has(n.phone.replace(/^\+1/, ""))) continue;
        const revokedAt = revocations
          .filter(
            (r) =>
              (r.scope === "account" && r.accountId === a.accountId) ||
              (r.scope !== "account" && r.phone === n.phone),
          )
          .map((r) => Date.parse(r.at));
        // Revoked by the day's start; or during the day and not dialled before it (after the
        // revocation it may not be called, as after a conversation).
        if (revokedAt.some((at) => at <= fromMs) || (!dialled && revokedAt.some((at) => at < toMs))) continue;
        eligible += 1;
        if (dialled) dialledHere += 1;
      }
      // A debt's numbers are dialable as far as its 7 calls in 7 days allow (collections): a debt
      // with one call left has one number to call today, not two.
      const allowance = s.kind === "collections" ? 7 - callsBefore : eligible;
      dialable += Math.max(Math.min(eligible, allowance), dialledHere);
      dialledOfDialable += dialledHere;
    }
    out.push({
      date: start.toISODate() as string,
      dials: today.length,
      rpcs: today.filter((x) => x.conversation).length,
      recordsDialled: dialledPhones.size,
      recordsReached: reached.size,
      dialable,
      dialledOfDialable,
      share: dialable ? dialledOfDialable / dialable : 1,
    });
  }
  return out;
}
