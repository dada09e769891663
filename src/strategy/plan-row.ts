import { DateTime } from "luxon";
import { ENGINE_LOCALE, zoneFor } from "../compliance/zone-clock.ts";
import { HOUR_MS } from "../core/time-units.ts";
import { SLOTS_PER_WEEK } from "./model-format.ts";
import type { PlanRow, RuledOut } from "./plan-format.ts";
import type { Posterior } from "./plan-posterior.ts";
import type { PlanSetup, RecordState } from "./plan-record.ts";

/**
 * The plan's row for an hour the planner chose (plan-record.ts): the attempt's local time, the
 * rate it was chosen on, the slots rated higher that a rule refused, and what the record was
 * judged with, so that push judges the row the same.
 */
export class PlanRows {
  /** The attempt times as text, by zone and hour of the horizon: made once each. */
  private readonly isoOfZone = new Map<string, Array<string | undefined>>();
  private readonly setup: PlanSetup;

  constructor(setup: PlanSetup) {
    this.setup = setup;
  }

  /** The row of the record's `attempt`-th attempt, at the chosen hour and slot. */
  rowOf(r: RecordState, posterior: Posterior, chosen: { h: number; slot: number }, attempt: number): PlanRow {
    const { setup } = this;
    // The rate the choice was made on: the contact's own when it has earlier attempts.
    const rated = r.factor
      ? r.factor.adjusted(posterior, chosen.slot)
      : {
          estimate: posterior.estimate[chosen.slot] as number,
          interval: posterior.interval[chosen.slot] as [number, number],
        };
    const row: PlanRow = {
      recordId: r.row.recordId,
      phone: r.row.phone,
      ...(r.row.accountId === undefined ? {} : { accountId: r.row.accountId }),
      // A number of several debts (issue 100): the one record names every debt it is for.
      ...(r.debts.length > 1 ? { accountIds: [...r.debts] } : {}),
      attemptAt: this.isoAt(chosen.h, r.zone),
      zone: r.zone,
      slot: chosen.slot,
      attempt,
      estimate: rated.estimate,
      interval: rated.interval,
      ruledOut: ruledOutAbove(r, posterior, chosen.slot) as RuledOut[],
    };
    if (r.row.zip !== undefined && r.row.zip !== "") row.zip = r.row.zip;
    row.staleMinutes = setup.staleMinutes;
    if (setup.declaredKind !== undefined) row.kind = setup.declaredKind;
    // What the row was judged with beyond its number, so that push judges it the same (issue 79).
    if (r.row.state !== undefined) row.state = r.row.state;
    if (r.row.lastTransactionAt !== undefined) row.lastTransactionAt = r.row.lastTransactionAt;
    if (r.row.numberType !== undefined) row.numberType = r.row.numberType;
    // A UK number's consent (push judges its TPS/CTPS listing with it, as the plan did).
    if (r.number.country === "GB" && r.dial.consent !== undefined) row.consent = r.dial.consent;
    // The voice it was judged for (issue 92 §2): push judges the row with it.
    row.voice = setup.voice?.voice ?? "live";
    if (setup.voice?.announcement) row.announcement = setup.voice.announcement;
    if (setup.voice?.discloses) row.discloses = setup.voice.discloses;
    return row;
  }

  private isoAt(h: number, zone: string): string {
    let texts = this.isoOfZone.get(zone);
    if (!texts) {
      texts = new Array(this.setup.horizon.hours).fill(undefined);
      this.isoOfZone.set(zone, texts);
    }
    let text = texts[h];
    if (text === undefined) {
      text = DateTime.fromMillis(this.setup.horizon.startMs + h * HOUR_MS, {
        zone: zoneFor(zone),
        locale: ENGINE_LOCALE,
      }).toISO({ suppressMilliseconds: true }) as string;
      texts[h] = text;
    }
    return text;
  }
}

/**
 * The slots rated higher than the chosen one that a rule refused (by slot): the segment's
 * estimates, times the contact's own factor when it has earlier attempts.
 */
export function ruledOutAbove(r: RecordState, posterior: Posterior, slot: number): readonly RuledOut[] {
  const { situation, ruledOut, factor } = r;
  if (factor) {
    const rate = (s: number) => (posterior.estimate[s] as number) * factor.of(posterior, s);
    const floor = rate(slot);
    const why = situation.refused.filter((x) => rate(x.slot) > floor && !ruledOut.has(x.slot));
    for (const [s, rule] of ruledOut) if (rate(s) > floor) why.push({ slot: s, rule });
    return why.sort((a, b) => a.slot - b.slot);
  }
  const { estimate } = posterior;
  const floor = estimate[slot] as number;
  if (ruledOut.size === 0) {
    let bySlot = situation.why.get(posterior);
    if (!bySlot) {
      bySlot = new Array(SLOTS_PER_WEEK).fill(undefined);
      situation.why.set(posterior, bySlot);
    }
    let shared = bySlot[slot];
    if (!shared) {
      shared = Object.freeze(situation.refused.filter((x) => (estimate[x.slot] as number) > floor));
      bySlot[slot] = shared;
    }
    return shared;
  }
  const why = situation.refused.filter((x) => (estimate[x.slot] as number) > floor && !ruledOut.has(x.slot));
  for (const [s, rule] of ruledOut) if ((estimate[s] as number) > floor) why.push({ slot: s, rule });
  return why.sort((a, b) => a.slot - b.slot);
}
