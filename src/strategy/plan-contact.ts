import { SLOTS_PER_WEEK } from "./model-format.ts";
import { slotAt } from "./place.ts";
import type { Posterior } from "./plan-posterior.ts";
import type { HistoryAttempt } from "./types.ts";

/**
 * A contact's own earlier attempts, shrunk toward its segment (issue 55 §4: "use each contact's
 * own earlier attempts"). The contact's rate in a slot is its segment's rate times a factor λ with
 * a Gamma(m, m) prior of mean 1 (m = `contactStrength`, in pseudo-attempts); each earlier attempt
 * at slot sᵢ is evidence of weight w(s, sᵢ) — 1 in the same hour of the same kind of day (weekday,
 * weekend), ½ an hour away, ¼ in the same hour of the other kind of day — so
 *
 *   λ(s) = (m + Σ w·answeredᵢ) / (m + Σ w·pᵢ)
 *
 * where pᵢ is the segment's estimate at sᵢ and an attempt is answered when an agent talked on it
 * (a conversation says the contact answers then; an unanswered attempt says the hour is worse for
 * this contact than for its segment). A contact who missed three evening calls is then worth less
 * in the evening than a fresh one, and one whose list column is wrong drifts toward the hours it
 * answers. Contacts without earlier attempts have no factor (λ = 1).
 */
export const DEFAULT_CONTACT_STRENGTH = 2;

const isWeekend = (slot: number) => slot >= 120;

/** Weight of an attempt at slot `b` as evidence about slot `a`. */
export function evidenceWeight(a: number, b: number): number {
  const d = Math.abs((a % 24) - (b % 24));
  const hours = Math.min(d, 24 - d);
  if (isWeekend(a) === isWeekend(b)) return hours === 0 ? 1 : hours === 1 ? 0.5 : 0;
  return hours === 0 ? 0.25 : 0;
}

export class ContactFactor {
  private readonly slots: Int16Array;
  private readonly answered: Uint8Array;
  private readonly strength: number;
  private readonly values = new Float64Array(SLOTS_PER_WEEK);
  private largest = 1;
  private computedFor: Posterior | undefined;

  constructor(slots: Int16Array, answered: Uint8Array, strength: number) {
    this.slots = slots;
    this.answered = answered;
    this.strength = strength;
  }

  /** λ at a slot, for the segment's posterior. */
  of(posterior: Posterior, slot: number): number {
    if (posterior !== this.computedFor) this.compute(posterior);
    return this.values[slot] as number;
  }

  /** The largest λ over the week (bounds the draws still to make). */
  most(posterior: Posterior): number {
    if (posterior !== this.computedFor) this.compute(posterior);
    return this.largest;
  }

  private compute(posterior: Posterior): void {
    const m = this.strength;
    this.largest = 0;
    for (let s = 0; s < SLOTS_PER_WEEK; s++) {
      let answers = 0;
      let expected = 0;
      for (let i = 0; i < this.slots.length; i++) {
        const w = evidenceWeight(s, this.slots[i] as number);
        if (w === 0) continue;
        answers += w * (this.answered[i] as number);
        expected += w * (posterior.estimate[this.slots[i] as number] as number);
      }
      const value = (m + answers) / (m + expected);
      this.values[s] = value;
      if (value > this.largest) this.largest = value;
    }
    this.computedFor = posterior;
  }
}

/** The factor of a record's earlier attempts (slots in its zone); undefined when it has none. */
export function contactFactorOf(
  attempts: readonly HistoryAttempt[],
  zone: string,
  strength: number,
): ContactFactor | undefined {
  if (attempts.length === 0) return undefined;
  const slots = Int16Array.from(attempts, (a) => slotAt(a.atMs, zone));
  const answered = Uint8Array.from(attempts, (a) => (a.conversation ? 1 : 0));
  return new ContactFactor(slots, answered, strength);
}
