import { notDialable } from "../compliance/dialable.ts";
import type { RegistryFinding } from "../compliance/index.ts";
import type { NanpNumber } from "../core/phone-number.ts";
import { HOUR_MS } from "../core/time-units.ts";
import { type DialScope, dialRefusals } from "./may-dial.ts";
import { SLOTS_PER_WEEK } from "./model-format.ts";
import { slotAt } from "./place.ts";
import type { RuledOut } from "./plan-format.ts";
import type { Posterior } from "./plan-posterior.ts";

/** Where a plan's horizon starts: the first whole hour at or after `fromMs` (the report counts from it too). */
export const horizonStartMs = (fromMs: number): number => Math.ceil(fromMs / HOUR_MS) * HOUR_MS;

/** The plan's horizon: whole hours from `startMs`; the hour of week of each, per zone. */
export class Horizon {
  private readonly slotsOfZone = new Map<string, Int16Array>();
  readonly startMs: number;
  readonly hours: number;
  constructor(startMs: number, hours: number) {
    this.startMs = startMs;
    this.hours = hours;
  }

  slots(zone: string): Int16Array {
    let slots = this.slotsOfZone.get(zone);
    if (!slots) {
      slots = new Int16Array(this.hours);
      for (let h = 0; h < this.hours; h++) slots[h] = slotAt(this.startMs + h * HOUR_MS, zone);
      this.slotsOfZone.set(zone, slots);
    }
    return slots;
  }
}

/**
 * Whether the skill may dial, every hour of the horizon, numbers in one situation (candidate
 * zones, area code, state, consent, DNC, registry findings, whether the number can be dialled at
 * all): the same for every such number, so asked once of the one judging function (may-dial.ts:
 * the law, the skill's hours and schedule). An hour is an attempt at its start that the dialer
 * may place up to the plan's stale window later. The rules that depend on other attempts
 * (frequency caps, Regulation F) are asked per record.
 */
export interface Situation {
  /** Legal hours of slot s, ascending: `hours[slotStart[s]]` … `hours[slotStart[s + 1] − 1]`. */
  slotStart: Int32Array;
  hours: Int32Array;
  /** Each slot some hour of which a rule refused, with the first such rule, by slot. */
  refused: readonly RuledOut[];
  refusedRule: ReadonlyArray<string | undefined>;
  /** Slots ruled out per rule (the summary adds them once per record). */
  refusedCounts: ReadonlyArray<readonly [string, number]>;
  /** `ruledOut` lists shared by the records with no refusal of their own: per posterior, per slot. */
  why: Map<Posterior, Array<readonly RuledOut[] | undefined>>;
}

export interface SituationInput {
  /** The number's candidate zones (its own and its state's), the primary first. */
  zones: readonly string[];
  number: NanpNumber;
  state: string | undefined;
  consent: boolean | undefined;
  onDnc: boolean;
  findings: readonly RegistryFinding[];
  /** The record's grant: written consent, AI disclosed (asked of a prerecorded or AI voice). */
  writtenConsent?: boolean | undefined;
  aiDisclosed?: boolean | undefined;
  /**
   * An object that stands for `zones`, the area code and `state` together (the number's Place,
   * place.ts, cached per exchange and address state): numbers with no registry finding are then
   * looked up by it and their consent, DNC flag and dialability, without building the full key.
   */
  place?: object;
}

const MAX_SITUATIONS = 20_000;

/** The consent form's part of a situation's key (a grant's written / AI disclosed). */
const formKey = (input: SituationInput) => `${String(input.writtenConsent)}${String(input.aiDisclosed)}`;

export class Situations {
  private readonly known = new Map<string, Situation>();
  private readonly horizon: Horizon;
  /** The campaign, its caps, the declared kind, the seller and the skill's hours: one plan's scope. */
  private readonly scope: DialScope;
  /** The dial window of a planned attempt: an hour is legal when the whole interval is. */
  private readonly staleMs: number;

  constructor(horizon: Horizon, scope: DialScope, staleMs: number) {
    this.horizon = horizon;
    this.scope = scope;
    this.staleMs = staleMs;
  }

  private readonly byPlace = new WeakMap<object, Map<string, Situation>>();

  of(input: SituationInput): Situation {
    const { place, findings } = input;
    if (place === undefined || findings.length > 0) return this.ofKey(input);
    const key = `${String(input.consent)}|${input.onDnc}|${notDialable(input.number)?.ruleId ?? ""}|${formKey(input)}`;
    let known = this.byPlace.get(place);
    if (!known) {
      known = new Map();
      this.byPlace.set(place, known);
    }
    let situation = known.get(key);
    if (!situation) {
      situation = this.ofKey(input);
      known.set(key, situation);
    }
    return situation;
  }

  private ofKey(input: SituationInput): Situation {
    const { zones, number, state, consent, onDnc, findings } = input;
    // A TPS/CTPS listing's registration day decides from when it binds (28 days): part of the key.
    const findingsKey = findings
      .map((f) => `${f.registry}@${f.asOf}${f.listed ? "+" : "-"}${f.registeredAt ?? ""}`)
      .join(",");
    // The engine's answer follows from the number's candidate zones, its area code (regions and
    // jurisdictions) and the contact's data; only the reasons' codes are kept, so a number that
    // cannot be dialled (N11, 555-01XX…) is judged with others of its kind.
    const key = `${zones.join(",")}|${number.npa}|${state ?? ""}|${String(consent)}|${onDnc}|${notDialable(number)?.ruleId ?? ""}|${findingsKey}|${formKey(input)}`;
    let situation = this.known.get(key);
    if (!situation) {
      situation = this.judge(input);
      if (this.known.size >= MAX_SITUATIONS) this.known.clear();
      this.known.set(key, situation);
    }
    return situation;
  }

  private judge(input: SituationInput): Situation {
    const { zones, number, state, consent, onDnc, findings } = input;
    const { startMs, hours } = this.horizon;
    const slotOfHour = this.horizon.slots(zones[0] as string);
    const refusedRule: Array<string | undefined> = new Array(SLOTS_PER_WEEK).fill(undefined);
    const legalOfSlot: number[][] = Array.from({ length: SLOTS_PER_WEEK }, () => []);
    for (let h = 0; h < hours; h++) {
      const t = startMs + h * HOUR_MS;
      // The attempt may be dialled anywhere in [t, t + stale window], in any of the number's
      // zones the list may time it by: the law and the skill's hours over all of it.
      const reasons = dialRefusals(
        this.scope,
        {
          number,
          zones,
          state,
          consent,
          onDnc,
          registries: findings,
          writtenConsent: input.writtenConsent,
          aiDisclosed: input.aiDisclosed,
        },
        t,
        t + this.staleMs,
      );
      const refusal = reasons.length === 0 ? null : (reasons[0]?.code ?? "refused");
      const slot = slotOfHour[h] as number;
      if (refusal === null) (legalOfSlot[slot] as number[]).push(h);
      else if (refusedRule[slot] === undefined) refusedRule[slot] = refusal;
    }
    const slotStart = new Int32Array(SLOTS_PER_WEEK + 1);
    for (let s = 0; s < SLOTS_PER_WEEK; s++)
      slotStart[s + 1] = (slotStart[s] as number) + (legalOfSlot[s] as number[]).length;
    const refused: RuledOut[] = [];
    const counts = new Map<string, number>();
    refusedRule.forEach((rule, slot) => {
      if (rule === undefined) return;
      refused.push(Object.freeze({ slot, rule }));
      counts.set(rule, (counts.get(rule) ?? 0) + 1);
    });
    return {
      slotStart,
      hours: Int32Array.from(legalOfSlot.flat()),
      refused,
      refusedRule,
      refusedCounts: [...counts],
      why: new Map(),
    };
  }
}
