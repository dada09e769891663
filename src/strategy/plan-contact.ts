import { round6 } from "./beta.ts";
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
 *
 * The plan row of such a contact reports the rate the choice was made on (`adjusted`): the
 * segment's posterior mean times λ's, and a 90% interval of the product of the two independent
 * posteriors (segment Beta(α, β), factor Gamma(m + Σ w·answered, m + Σ w·p)), the product taken
 * as log-normal with the two logs' means and variances (digamma, trigamma), clipped to [0, 1].
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

/** The standard normal's 95% quantile: a 90% central interval. */
const Z95 = 1.6448536269514722;

/** ψ(x), x > 0: recurrence up to 6, then the asymptotic series. */
export function digamma(x: number): number {
  let result = 0;
  let y = x;
  while (y < 6) {
    result -= 1 / y;
    y += 1;
  }
  const f = 1 / (y * y);
  return (
    result + Math.log(y) - 0.5 / y - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))
  );
}

/** ψ′(x), x > 0: recurrence up to 6, then the asymptotic series. */
export function trigamma(x: number): number {
  let result = 0;
  let y = x;
  while (y < 6) {
    result += 1 / (y * y);
    y += 1;
  }
  const f = 1 / (y * y);
  return result + 1 / y + f / 2 + (f / y) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
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

  /**
   * The contact's own rate at a slot and its 90% interval: what the plan row reports, the rate the
   * choice was made on (see the file's comment).
   */
  adjusted(posterior: Posterior, slot: number): { estimate: number; interval: [number, number] } {
    const m = this.strength;
    let shape = m;
    let rate = m;
    for (let i = 0; i < this.slots.length; i++) {
      const w = evidenceWeight(slot, this.slots[i] as number);
      if (w === 0) continue;
      shape += w * (this.answered[i] as number);
      rate += w * (posterior.estimate[this.slots[i] as number] as number);
    }
    // The posterior's own shapes (not the draws', which exploration may sharpen).
    const n = posterior.evidence[slot] as number;
    const p = Math.min(Math.max(posterior.estimate[slot] as number, 1e-6), 1 - 1e-6);
    const a = p * n;
    const b = (1 - p) * n;
    const mean = (posterior.estimate[slot] as number) * (shape / rate);
    const logMean = digamma(a) - digamma(a + b) + digamma(shape) - Math.log(rate);
    const logSd = Math.sqrt(trigamma(a) - trigamma(a + b) + trigamma(shape));
    const clip = (x: number) => round6(Math.min(1, Math.max(0, x)));
    return {
      estimate: clip(mean),
      interval: [clip(Math.exp(logMean - Z95 * logSd)), clip(Math.exp(logMean + Z95 * logSd))],
    };
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
