import { DateTime } from "luxon";
import { FEDERAL_HOURS, type HoursRule, REG_F, REVOCATION, SKILL_SCHEDULE, STATE_RULES } from "./rules.ts";
import type {
  CalledNumber,
  CheckInput,
  DayHours,
  Dial,
  Revocation,
  SkillSchedule,
  Violation,
} from "./types.ts";

/**
 * An independent judge of the dials an emulator made (issue 89's Goals, issue 91's week bench):
 * every dial is lawful for the called party — federal and state calling hours in the number's zone,
 * the states' 3 calls in 24 hours per person and subject, Regulation F's 7 calls in 7 days per debt
 * (the history counted) and no call within 7 days after a conversation on any of the debt's
 * numbers, no call after a revocation in its scope — and inside the skill's original schedule
 * once the watch's grace after a supervisor's change has passed. It shares no code with cxo (its
 * own rule table, `rules.ts`; zones and states as the scenario states them).
 */

interface Call {
  /** Set for a dial of the run (judged); undefined for a history call (counted only). */
  id?: string;
  phone: string;
  ms: number;
  conversation: boolean;
  accounts: readonly string[];
}

const HOUR_MS = 3_600_000;

export function checkDials(input: CheckInput): Violation[] {
  const numbers = new Map(input.numbers.map((n) => [n.phone, n]));
  const accountsOfPhone = new Map<string, string[]>();
  for (const account of input.accounts)
    for (const phone of account.phones)
      accountsOfPhone.set(phone, [...(accountsOfPhone.get(phone) ?? []), account.accountId]);
  const phonesOfAccount = new Map(input.accounts.map((a) => [a.accountId, new Set(a.phones)]));
  const calls: Call[] = [
    ...input.history.map((h) => ({
      phone: h.phone,
      ms: instant(h.at, "history call"),
      conversation: h.conversation,
      accounts: h.accountId ? [h.accountId] : (accountsOfPhone.get(h.phone) ?? []),
    })),
    ...input.dials.map((d) => ({
      id: d.id,
      phone: d.phone,
      ms: instant(d.at, `dial ${d.id}`),
      conversation: d.conversation,
      accounts: accountsOfPhone.get(d.phone) ?? [],
    })),
  ].sort((a, b) => a.ms - b.ms);
  const violations: Violation[] = [];
  for (const dial of input.dials) {
    const number = numbers.get(dial.phone);
    if (!number) throw new Error(`dial ${dial.id}: the scenario does not place ${dial.phone} (its zone)`);
    const call = calls.find((c) => c.id === dial.id) as Call;
    const local = DateTime.fromMillis(call.ms, { zone: number.zone });
    if (!local.isValid) throw new Error(`${dial.phone}: zone ${number.zone} is not an IANA zone`);
    violations.push(
      ...hoursViolations(dial, number, local),
      ...stateCapViolations(dial, number, call, calls, phonesOfAccount),
      ...regFViolations(dial, number, call, calls),
      ...revocationViolations(dial, call, input.revocations, accountsOfPhone),
      ...scheduleViolations(dial, number, call, input.schedule),
    );
  }
  return violations;
}

function instant(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`${what}: ${iso} is not an instant`);
  return ms;
}

/** Minutes after local midnight, with the seconds as a fraction. */
const minuteOfDay = (local: DateTime): number =>
  local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
};

const inside = (minute: number, rule: { startMinute: number; endMinute: number }) =>
  minute >= rule.startMinute && minute <= rule.endMinute;

function hoursViolations(dial: Dial, number: CalledNumber, local: DateTime): Violation[] {
  const rules: HoursRule[] = [FEDERAL_HOURS];
  const state = number.state ? STATE_RULES[number.state] : undefined;
  if (state) rules.push(state.hours);
  const minute = minuteOfDay(local);
  return rules
    .filter((rule) => !inside(minute, rule))
    .map((rule) => ({
      rule: rule.id,
      citation: rule.citation,
      dials: [dial.id],
      detail: `${dial.phone} called at ${local.toFormat("ccc HH:mm:ss")} ${number.zone}`,
    }));
}

/**
 * FL, OK, MD: more than 3 calls in 24 hours to a person on the same subject. The person and
 * subject are the debt: every number of the account is counted (a number in no account: itself).
 */
function stateCapViolations(
  dial: Dial,
  number: CalledNumber,
  call: Call,
  calls: readonly Call[],
  phonesOfAccount: ReadonlyMap<string, ReadonlySet<string>>,
): Violation[] {
  const cap = number.state ? STATE_RULES[number.state]?.cap : undefined;
  if (!cap) return [];
  const subjects = call.accounts.length > 0 ? call.accounts : [undefined];
  const out: Violation[] = [];
  for (const account of subjects) {
    const phones = account ? (phonesOfAccount.get(account) ?? new Set([dial.phone])) : new Set([dial.phone]);
    const inWindow = calls.filter(
      (c) =>
        c.ms > call.ms - cap.windowHours * HOUR_MS &&
        c.ms <= call.ms &&
        phones.has(c.phone) &&
        (account === undefined || c.accounts.includes(account)),
    );
    if (inWindow.length > cap.max)
      out.push({
        rule: cap.id,
        citation: cap.citation,
        dials: idsOf(inWindow),
        detail: `${inWindow.length} calls in ${cap.windowHours} h to ${account ? `account ${account}` : dial.phone} (at most ${cap.max})`,
      });
  }
  return out;
}

/** Regulation F per debt: 7 in 7 calendar days, and none within 7 days after a conversation. */
function regFViolations(dial: Dial, number: CalledNumber, call: Call, calls: readonly Call[]): Violation[] {
  const out: Violation[] = [];
  const day = (ms: number) => DateTime.fromMillis(ms, { zone: number.zone }).startOf("day");
  const today = day(call.ms);
  for (const account of call.accounts) {
    const ofDebt = calls.filter((c) => c.accounts.includes(account) && c.ms <= call.ms);
    const firstDay = today.minus({ days: REG_F.sevenInSeven.days - 1 });
    const week = ofDebt.filter((c) => day(c.ms) >= firstDay);
    if (week.length > REG_F.sevenInSeven.max)
      out.push({
        rule: REG_F.sevenInSeven.id,
        citation: REG_F.sevenInSeven.citation,
        dials: idsOf(week),
        detail: `${week.length} calls about ${account} from ${firstDay.toISODate()} to ${today.toISODate()}`,
      });
    const conversation = ofDebt.find(
      (c) =>
        c.conversation &&
        c !== call &&
        c.ms < call.ms &&
        today <= day(c.ms).plus({ days: REG_F.afterConversation.days - 1 }),
    );
    if (conversation)
      out.push({
        rule: REG_F.afterConversation.id,
        citation: REG_F.afterConversation.citation,
        dials: [...idsOf([conversation]), dial.id],
        detail: `${dial.phone} called ${new Date(call.ms).toISOString()} about ${account}, after a conversation on ${conversation.phone} at ${new Date(conversation.ms).toISOString()}`,
      });
  }
  return out;
}

function revocationViolations(
  dial: Dial,
  call: Call,
  revocations: readonly Revocation[],
  accountsOfPhone: ReadonlyMap<string, readonly string[]>,
): Violation[] {
  return revocations
    .filter((r) => {
      if (instant(r.at, "revocation") > call.ms) return false;
      if (r.scope === "account")
        return r.accountId !== undefined && (accountsOfPhone.get(dial.phone) ?? []).includes(r.accountId);
      return r.phone === dial.phone;
    })
    .map((r) => ({
      rule: REVOCATION.id,
      citation: REVOCATION.citation,
      dials: [dial.id],
      detail: `${dial.phone} called ${new Date(call.ms).toISOString()} after a ${r.channel ?? ""} revocation (${r.scope}${r.accountId ? ` ${r.accountId}` : ""}) at ${r.at}`,
    }));
}

function scheduleViolations(
  dial: Dial,
  number: CalledNumber,
  call: Call,
  schedule: SkillSchedule | undefined,
): Violation[] {
  if (!schedule) return [];
  const graceMs = (schedule.graceMinutes ?? 10) * 60_000;
  const inGrace = (schedule.changes ?? []).some((c) => {
    const at = instant(c, "schedule change");
    return call.ms >= at && call.ms <= at + graceMs;
  });
  if (inGrace) return [];
  const business = DateTime.fromMillis(call.ms, { zone: schedule.zone });
  const day = schedule.weekly[business.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7];
  const zoneHours = schedule.hoursByZone?.[number.zone] ?? schedule.defaultHours;
  const within = (hours: DayHours | undefined, local: DateTime) =>
    hours !== undefined &&
    inside(minuteOfDay(local), { startMinute: minutesOf(hours.start), endMinute: minutesOf(hours.end) });
  const problems: string[] = [];
  if (!within(day, business))
    problems.push(`the weekly schedule (${business.toFormat("ccc HH:mm:ss")} ${schedule.zone})`);
  if (zoneHours && !within(zoneHours, DateTime.fromMillis(call.ms, { zone: number.zone })))
    problems.push(`the hours for ${number.zone} (${zoneHours.start}–${zoneHours.end})`);
  return problems.length === 0
    ? []
    : [
        {
          rule: SKILL_SCHEDULE.id,
          citation: SKILL_SCHEDULE.citation,
          dials: [dial.id],
          detail: `${dial.phone} called outside ${problems.join(" and ")}`,
        },
      ];
}

const idsOf = (calls: readonly Call[]): string[] =>
  calls.map((c) => c.id ?? `history ${c.phone} ${new Date(c.ms).toISOString()}`);
