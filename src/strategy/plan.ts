import { DateTime } from "luxon";
import { zoneListIdOf } from "../campaigns/compliance/candidates.ts";
import { parseAt } from "../campaigns/compliance/check-input.ts";
import { notDialable } from "../campaigns/compliance/dialable.ts";
import {
  type AccountAttempt,
  type AttemptTime,
  evaluateCall,
  NO_REGISTRIES,
  parseNanp,
  RULE_TABLE,
  regFReasons,
} from "../campaigns/compliance/index.ts";
import type { NanpNumber } from "../campaigns/compliance/phone-number.ts";
import { ENGINE_LOCALE, zoneFor } from "../campaigns/compliance/zone-clock.ts";
import { InputError } from "../core/input-error.ts";
import { hashSeed, sampleBeta, seededUniform } from "./beta.ts";
import { attemptBucketOf, segmentKeyOf } from "./learn.ts";
import type { ListRow } from "./list-format.ts";
import { type Model, SLOTS_PER_WEEK, type SlotStats } from "./model-format.ts";
import { placeOf, slotAt } from "./place.ts";
import type { PlanRow, RuledOut } from "./plan-format.ts";
import type { HistoryAttempt, PlanOptions, PlanSummary } from "./types.ts";

const HOUR_MS = 3_600_000;
/** An hour is planned only if the engine allows a call at its first and its last minute. */
const LAST_MINUTE_MS = 59 * 60_000;
export const MAX_PLAN_DAYS = 31;
export const DEFAULT_MIN_GAP_HOURS = 20;

export const newPlanSummary = (): PlanSummary => ({
  records: 0,
  planned: 0,
  unplannable: 0,
  ruledOutByRule: {},
  notes: [],
});

/** Checks the model against what the caller expects and the options; throws InputError. */
export function checkPlanInput(model: Model, options: PlanOptions): { fromMs: number } {
  if (options.campaign !== undefined && options.campaign !== model.campaign)
    throw new InputError({
      field: "model.campaign",
      rule: `the model was learned for campaign ${model.campaign}, not ${options.campaign}`,
    });
  if (options.keys !== undefined && options.keys.join(",") !== model.keys.join(","))
    throw new InputError({
      field: "model.keys",
      rule: `the model's segment keys are [${model.keys.join(", ")}], not [${options.keys.join(", ")}]`,
    });
  const fromMs = parseAt(options.from, "from");
  if (fromMs === undefined) throw new InputError({ field: "from", rule: "is required" });
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_PLAN_DAYS)
    throw new InputError({
      field: "days",
      rule: `must be a whole number of days from 1 to ${MAX_PLAN_DAYS}`,
    });
  const per = options.attemptsPerRecord ?? 1;
  if (!Number.isInteger(per) || per < 1 || per > 24)
    throw new InputError({ field: "attemptsPerRecord", rule: "must be a whole number from 1 to 24" });
  if (
    options.capacityPerHour !== undefined &&
    !(Number.isInteger(options.capacityPerHour) && options.capacityPerHour > 0)
  )
    throw new InputError({ field: "capacity", rule: "must be a positive whole number of attempts per hour" });
  return { fromMs };
}

/** The rule that refused a call (the first reason's code), or null when allowed. */
type Refusal = string | null;

interface Situation {
  /** The horizon hours the base rules allow (indexes), and their slots. */
  legal: Int32Array;
  legalSlots: Int16Array;
  /** Each slot some hour of which a base rule refused, with the first such rule. */
  refused: ReadonlyArray<readonly [number, string]>;
}

interface Posterior {
  alpha: Float64Array;
  beta: Float64Array;
  estimate: Float64Array;
  interval: Array<[number, number]>;
}

function posteriorOf(slots: readonly SlotStats[], strength: number): Posterior {
  const alpha = new Float64Array(SLOTS_PER_WEEK);
  const beta = new Float64Array(SLOTS_PER_WEEK);
  const estimate = new Float64Array(SLOTS_PER_WEEK);
  const interval: Array<[number, number]> = [];
  for (let s = 0; s < SLOTS_PER_WEEK; s++) {
    const stats = slots[s] as SlotStats;
    const p = Math.min(Math.max(stats.estimate, 1e-6), 1 - 1e-6);
    const n = strength + stats.attempts;
    alpha[s] = p * n;
    beta[s] = (1 - p) * n;
    estimate[s] = stats.estimate;
    interval.push(stats.interval90);
  }
  return { alpha, beta, estimate, interval };
}

/**
 * Plans each record's next attempts at the best legal hours. The compliance engine runs first
 * (src/campaigns/compliance: calling hours in every candidate zone, state windows and holidays,
 * consent, DNC list and registry copies, the state and campaign frequency caps counted over the
 * history and the attempts already planned), then Regulation F for kind `collections` (by
 * account, across its numbers); only among the hours left does Thompson sampling on the model
 * choose. Pure and seeded: the same list, model, options and seed give the same plan.
 *
 * For kind `collections` the list is read in full before the first row is planned (an account's
 * numbers must all be known, so that the history of each counts toward the account's calls);
 * otherwise it is streamed, keeping only the phones and accounts planned for.
 */
export async function* plan(
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  model: Model,
  options: PlanOptions,
  summary: PlanSummary = newPlanSummary(),
): AsyncIterable<PlanRow> {
  const { fromMs } = checkPlanInput(model, options);
  const kind = options.kind ?? "sales";
  const startMs = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const hours = options.days * 24;
  const perRecord = options.attemptsPerRecord ?? 1;
  const minGapMs = (options.minGapHours ?? DEFAULT_MIN_GAP_HOURS) * HOUR_MS;
  const seed = options.seed ?? 1;
  const registries = options.registries ?? NO_REGISTRIES;
  const capacity = options.capacityPerHour;
  const load = new Int32Array(hours);

  if (model.learnedFrom.records === 0)
    summary.notes.push(
      "the model learned from no attempts: planned from the prior alone (every legal hour alike)",
    );
  if (options.history !== undefined && options.history.length === 0)
    summary.notes.push(
      "the history holds no attempts: nothing counted toward the frequency caps but this plan",
    );

  // Prior attempts by phone; planned ones are added as they are made.
  const attemptsOfPhone = new Map<string, HistoryAttempt[]>();
  for (const attempt of options.history ?? []) {
    const known = attemptsOfPhone.get(attempt.phone);
    if (known) known.push(attempt);
    else attemptsOfPhone.set(attempt.phone, [attempt]);
  }

  // Reg F: every number of an account, known before the first row is planned.
  let rows: AsyncIterable<ListRow> | Iterable<ListRow> = list;
  const accountAttempts = new Map<string, AccountAttempt[]>();
  if (kind === "collections") {
    const all: ListRow[] = [];
    const phonesOf = new Map<string, Set<string>>();
    let index = 0;
    for await (const row of list) {
      index++;
      if (row.accountId === undefined)
        throw new InputError({
          field: "accountId",
          row: index,
          rule: "is required for kind collections: Regulation F counts calls per debt (add an accountId column)",
        });
      all.push(row);
      const phones = phonesOf.get(row.accountId) ?? new Set<string>();
      phonesOf.set(row.accountId, phones);
      phones.add(row.phone);
    }
    for (const [account, phones] of phonesOf) {
      const attempts: AccountAttempt[] = [];
      for (const phone of phones)
        for (const a of attemptsOfPhone.get(phone) ?? [])
          attempts.push({ atMs: a.atMs, conversation: a.conversation });
      accountAttempts.set(account, attempts);
    }
    rows = all;
  }

  const strength = model.priorStrength;
  const campaignPosterior = posteriorOf(model.priors.campaign, strength);
  const segmentPosteriors = new Map<string, Posterior>();
  for (const segment of model.segments)
    segmentPosteriors.set(segment.key, posteriorOf(segment.slots, strength));

  // Hour of week of each horizon hour, per zone: computed once, not per record.
  const slotsOfZone = new Map<string, Int16Array>();
  const horizonSlots = (zone: string): Int16Array => {
    let slots = slotsOfZone.get(zone);
    if (!slots) {
      slots = new Int16Array(hours);
      for (let h = 0; h < hours; h++) slots[h] = slotAt(startMs + h * HOUR_MS, zone);
      slotsOfZone.set(zone, slots);
    }
    return slots;
  };

  const situations = new Map<string, Situation>();
  // Scratch arrays reused by every record (no garbage per record).
  const draws = new Float64Array(SLOTS_PER_WEEK);
  const candH = new Int32Array(hours);
  const candSlot = new Int16Array(hours);
  const candDraw = new Float64Array(hours);
  const refusedCand = new Uint8Array(hours);
  const situationOf = (
    zone: string,
    number: NanpNumber,
    row: ListRow,
    onDnc: boolean,
    findingsKey: string,
    findings: ReturnType<typeof registries.findings>,
  ): Situation => {
    const key = `${zone}|${number.npa}|${zoneListIdOf(number)}|${row.state ?? ""}|${String(row.consent)}|${findingsKey}`;
    // The engine's verdict on a number that cannot be dialled (N11, 555-01XX…) or is on the DNC
    // list depends on more than the situation: such numbers are judged on their own.
    const own = onDnc || notDialable(number) !== undefined;
    let situation = own ? undefined : situations.get(key);
    if (!situation) {
      const refusals: Refusal[] = new Array(hours);
      for (let h = 0; h < hours; h++) {
        const t = startMs + h * HOUR_MS;
        let refusal: Refusal = null;
        for (const atMs of [t, t + LAST_MINUTE_MS]) {
          const verdict = evaluateCall({
            number,
            atMs,
            addressState: row.state,
            consent: row.consent,
            onDnc,
            registries: findings,
            campaignCaps: options.campaignCaps,
            campaignId: options.campaign ?? model.campaign,
            searchDays: 1,
          });
          if (!verdict.allowed) {
            refusal = verdict.reasons[0]?.code ?? "refused";
            break;
          }
        }
        refusals[h] = refusal;
      }
      const slotOfHour = horizonSlots(zone);
      const legal: number[] = [];
      const refused = new Map<number, string>();
      refusals.forEach((refusal, h) => {
        const slot = slotOfHour[h] as number;
        if (refusal === null) legal.push(h);
        else if (!refused.has(slot)) refused.set(slot, refusal);
      });
      situation = {
        legal: Int32Array.from(legal),
        legalSlots: Int16Array.from(legal, (h) => slotOfHour[h] as number),
        refused: [...refused],
      };
      if (!own) {
        if (situations.size >= 20_000) situations.clear();
        situations.set(key, situation);
      }
    }
    return situation;
  };

  const campaignId = options.campaign ?? model.campaign;
  // The engine's frequency caps, read from its rule table (not restated): a phone with fewer
  // attempts than the smallest cap within the longest cap window of a call cannot hit any cap,
  // so the engine is asked again only when it could.
  const caps = [
    ...RULE_TABLE.flatMap((r) => (r.kind === "frequency_cap" ? [{ max: r.max, hours: r.windowHours }] : [])),
    ...(options.campaignCaps?.perDay === undefined ? [] : [{ max: options.campaignCaps.perDay, hours: 24 }]),
    ...(options.campaignCaps?.perWeek === undefined
      ? []
      : [{ max: options.campaignCaps.perWeek, hours: 168 }]),
  ];
  const smallestCap = Math.min(...caps.map((c) => c.max));
  const longestCapMs = Math.max(...caps.map((c) => c.hours)) * HOUR_MS;
  const count = (rule: string) => {
    summary.ruledOutByRule[rule] = (summary.ruledOutByRule[rule] ?? 0) + 1;
  };

  for await (const row of rows) {
    summary.records++;
    const number = parseNanp(row.phone);
    const place = number ? placeOf(row.phone, row.state) : null;
    const zone = place?.zones[0];
    if (!number || !place || zone === undefined) {
      summary.unplannable++;
      count("unknown_time_zone");
      continue;
    }
    const findings = registries.findings(number);
    const findingsKey = findings.map((f) => `${f.registry}@${f.asOf}${f.listed ? "+" : "-"}`).join(",");
    const onDnc = options.dnc?.has(row.phone) ?? false;
    const base = situationOf(zone, number, row, onDnc, findingsKey, findings);

    const phoneAttempts = attemptsOfPhone.get(row.phone) ?? [];
    const account =
      kind === "collections" && row.accountId !== undefined ? accountAttempts.get(row.accountId) : undefined;
    const uniform = seededUniform(hashSeed(seed, `${row.recordId}|${row.phone}`));
    const planned: number[] = [];
    const ruledOut = new Map<number, string>();

    // The record's segment (values as learn computes them), at each planned attempt's number.
    const segmentValues = (attemptNumber: number): Record<string, string> => {
      const values: Record<string, string> = {};
      for (const key of model.keys)
        if (key === "state") values.state = row.state ?? place.state;
        else if (key === "areaCode") values.areaCode = place.npa;
        else if (key === "list") values.list = options.listId ?? "";
        else values.attemptBucket = attemptBucketOf(attemptNumber, model.attemptBuckets);
      return values;
    };

    for (let k = 0; k < perRecord; k++) {
      const posterior =
        segmentPosteriors.get(segmentKeyOf(model.keys, segmentValues(phoneAttempts.length + k + 1))) ??
        campaignPosterior;
      // One Thompson draw per slot of the week; the earliest hour wins a tie (the same slot in
      // two weeks).
      draws.fill(-1);
      let n = 0;
      for (let i = 0; i < base.legal.length; i++) {
        const h = base.legal[i] as number;
        const t = startMs + h * HOUR_MS;
        if (planned.some((p) => Math.abs(p - t) < minGapMs)) continue;
        const slot = base.legalSlots[i] as number;
        let draw = draws[slot] as number;
        if (draw < 0) {
          draw = sampleBeta(posterior.alpha[slot] as number, posterior.beta[slot] as number, uniform);
          draws[slot] = draw;
        }
        candH[n] = h;
        candSlot[n] = slot;
        candDraw[n] = draw;
        refusedCand[n] = 0;
        n++;
      }
      // The best draw first (the earliest hour on a tie); the next best only when a rule refuses it.
      let chosen: { h: number; slot: number } | undefined;
      for (let tries = 0; tries < n && !chosen; tries++) {
        let best = -1;
        for (let i = 0; i < n; i++) {
          if (refusedCand[i]) continue;
          if (
            best < 0 ||
            (candDraw[i] as number) > (candDraw[best] as number) ||
            (candDraw[i] === candDraw[best] && (candH[i] as number) < (candH[best] as number))
          )
            best = i;
        }
        if (best < 0) break;
        refusedCand[best] = 1;
        const candidate = { h: candH[best] as number, slot: candSlot[best] as number };
        const t = startMs + candidate.h * HOUR_MS;
        const refusal = frequencyRefusal(t);
        if (refusal === null && capacity !== undefined && (load[candidate.h] as number) >= capacity) {
          if (!ruledOut.has(candidate.slot)) ruledOut.set(candidate.slot, "capacity");
          continue;
        }
        if (refusal !== null) {
          if (!ruledOut.has(candidate.slot)) ruledOut.set(candidate.slot, refusal);
          continue;
        }
        chosen = candidate;
      }
      if (!chosen) break;
      const t = startMs + chosen.h * HOUR_MS;
      load[chosen.h] = (load[chosen.h] as number) + 1;
      planned.push(t);
      phoneAttempts.push({ phone: row.phone, atMs: t, campaignId, conversation: false });
      attemptsOfPhone.set(row.phone, phoneAttempts);
      account?.push({ atMs: t, conversation: false });
      const estimate = posterior.estimate[chosen.slot] as number;
      const why: RuledOut[] = [];
      for (const [slot, rule] of base.refused)
        if ((posterior.estimate[slot] as number) > estimate && !ruledOut.has(slot)) why.push({ slot, rule });
      for (const [slot, rule] of ruledOut)
        if ((posterior.estimate[slot] as number) > estimate) why.push({ slot, rule });
      why.sort((a, b) => a.slot - b.slot);
      summary.planned++;
      yield {
        recordId: row.recordId,
        phone: row.phone,
        ...(row.accountId === undefined ? {} : { accountId: row.accountId }),
        attemptAt: isoIn(t, zone),
        zone,
        slot: chosen.slot,
        attempt: k + 1,
        estimate,
        interval: posterior.interval[chosen.slot] as [number, number],
        ruledOut: why,
      };
    }
    for (const [, rule] of base.refused) count(rule);
    for (const rule of ruledOut.values()) count(rule);
    if (planned.length === 0) summary.unplannable++;

    /**
     * The rules that depend on other attempts, at t: the engine's frequency caps with the phone's
     * attempts (and, for each later attempt within a week, that adding t still lets it pass),
     * and Regulation F over the account's attempts.
     */
    function frequencyRefusal(t: number): Refusal {
      if (account) {
        const reasons = regFReasons(account, t);
        if (reasons.length > 0) return reasons[0]?.code ?? "refused";
        // The account's later calls must stay within seven in any period too.
        for (const later of account)
          if (later.atMs > t && later.atMs < t + 8 * 24 * HOUR_MS) {
            const others = [...account.filter((a) => a !== later), { atMs: t, conversation: false }];
            if (regFReasons(others, later.atMs).some((r) => r.code === "reg_f_7_in_7")) return "reg_f_7_in_7";
          }
      }
      let near = 0;
      for (const a of phoneAttempts) if (Math.abs(a.atMs - t) < longestCapMs + HOUR_MS) near++;
      if (near >= smallestCap) {
        const at = (atMs: number, others: readonly AttemptTime[]) =>
          evaluateCall({
            number: number as NanpNumber,
            atMs,
            addressState: row.state,
            consent: row.consent,
            onDnc,
            registries: findings,
            attempts: others,
            campaignCaps: options.campaignCaps,
            campaignId,
            searchDays: 1,
          });
        const times: AttemptTime[] = phoneAttempts.map((a) => ({ atMs: a.atMs, campaignId: a.campaignId }));
        for (const atMs of [t, t + LAST_MINUTE_MS]) {
          const verdict = at(atMs, times);
          if (!verdict.allowed) return verdict.reasons[0]?.code ?? "refused";
        }
        const withT = [...times, { atMs: t, campaignId }];
        for (const later of times)
          if (later.atMs > t && later.atMs < t + longestCapMs + HOUR_MS) {
            const verdict = at(
              later.atMs,
              withT.filter((a) => a !== later),
            );
            if (!verdict.allowed) return verdict.reasons[0]?.code ?? "refused";
          }
      }
      return null;
    }
  }
}

const isoTexts = new Map<string, string>();
function isoIn(ms: number, zone: string): string {
  const key = `${zone}|${ms}`;
  let text = isoTexts.get(key);
  if (text === undefined) {
    text = DateTime.fromMillis(ms, { zone: zoneFor(zone), locale: ENGINE_LOCALE }).toISO({
      suppressMilliseconds: true,
    }) as string;
    if (isoTexts.size >= 50_000) isoTexts.clear();
    isoTexts.set(key, text);
  }
  return text;
}
