import { DAY } from "./shared.ts";

/** The time-of-day priors' slots: half hours. */
export const PRIOR_SLOT_SECONDS = 1800;
const PRIOR_SLOTS = DAY / PRIOR_SLOT_SECONDS;
export const MINUTES_PER_DAY = 1440;
/** A day counts in the priors of the day's volume with at least this many people. */
export const SPREAD_MIN_DAY_LIVES = 100;
/** A half hour updates the live-answer prior with at least this many resolved calls. */
const PRIOR_MIN_RESOLVED = 30;
const PRIOR_KEEP = 0.6;
const PRIOR_NEW = 0.4;
/** The staffing prior (fewest agents seen per minute), exponentially weighted over days. */
const STAFF_PRIOR_KEEP = 0.5;
const STAFF_PRIOR_NEW = 0.5;

/**
 * What the days seen say of the time of day: the live-answer rate per half hour (the opening's
 * estimate restarts from it), the people counted per half hour (the budget left today is spread
 * over the people still to come), and the fewest agents logged in per minute (a staffing drop the
 * schedule repeats every day, lunch or a shift's end, is anticipated by the answer horizon). Each
 * exponentially weighted over days, and rolled once a day.
 */
export class TimeOfDayPriors {
  private readonly prior = new Float64Array(PRIOR_SLOTS).fill(Number.NaN);
  private readonly todayResolved = new Float64Array(PRIOR_SLOTS);
  private readonly todayLive = new Float64Array(PRIOR_SLOTS);
  private readonly peoplePrior = new Float64Array(PRIOR_SLOTS).fill(Number.NaN);
  private readonly todayPeople = new Float64Array(PRIOR_SLOTS);
  private readonly staffPrior = new Float64Array(MINUTES_PER_DAY).fill(Number.NaN);
  private readonly staffToday = new Float64Array(MINUTES_PER_DAY).fill(Number.NaN);
  /** The last tick's second of the day. */
  private secondOfDay = 0;

  /** The tick's resolved calls, live answers and people at `secondOfDay`, and the agents staying in its minute. */
  add(
    secondOfDay: number,
    resolved: number,
    liveAnswers: number,
    people: number,
    minute: number,
    staying: number,
  ): void {
    const slot = Math.floor(secondOfDay / PRIOR_SLOT_SECONDS) % PRIOR_SLOTS;
    this.todayResolved[slot] = (this.todayResolved[slot] as number) + resolved;
    this.todayLive[slot] = (this.todayLive[slot] as number) + liveAnswers;
    this.todayPeople[slot] = (this.todayPeople[slot] as number) + people;
    this.secondOfDay = secondOfDay;
    const seenNow = this.staffToday[minute] as number;
    if (Number.isNaN(seenNow) || staying < seenNow) this.staffToday[minute] = staying;
  }

  /** The live-answer prior of the half hour at `secondOfDay` (NaN: none learnt yet). */
  liveRateAt(secondOfDay: number): number {
    return this.prior[Math.floor(secondOfDay / PRIOR_SLOT_SECONDS) % PRIOR_SLOTS] as number;
  }

  /** Yesterday's live-answer rate per half hour, its people per half hour and its fewest agents per minute, into the priors. */
  roll(): void {
    const { prior, todayResolved, todayLive, staffPrior, staffToday } = this;
    for (let i = 0; i < PRIOR_SLOTS; i++) {
      const n = todayResolved[i] as number;
      if (n >= PRIOR_MIN_RESOLVED) {
        const rate = (todayLive[i] as number) / n;
        const before = prior[i] as number;
        prior[i] = Number.isNaN(before) ? rate : PRIOR_KEEP * before + PRIOR_NEW * rate;
      }
    }
    todayResolved.fill(0);
    todayLive.fill(0);
    // The day's volume by half hour, when the day was a day (not a few minutes of a restart).
    const { peoplePrior, todayPeople } = this;
    let dayPeople = 0;
    for (let i = 0; i < PRIOR_SLOTS; i++) dayPeople += todayPeople[i] as number;
    if (dayPeople >= SPREAD_MIN_DAY_LIVES)
      for (let i = 0; i < PRIOR_SLOTS; i++) {
        const before = peoplePrior[i] as number;
        const seen = todayPeople[i] as number;
        peoplePrior[i] = Number.isNaN(before) ? seen : PRIOR_KEEP * before + PRIOR_NEW * seen;
      }
    todayPeople.fill(0);
    for (let i = 0; i < MINUTES_PER_DAY; i++) {
      const seen = staffToday[i] as number;
      if (Number.isNaN(seen)) continue;
      const before = staffPrior[i] as number;
      staffPrior[i] = Number.isNaN(before) ? seen : STAFF_PRIOR_KEEP * before + STAFF_PRIOR_NEW * seen;
    }
    staffToday.fill(Number.NaN);
  }

  /** People still to come today after the last tick, by the prior of the day's volume (NaN before a day is learnt). */
  peopleToCome(): number {
    const slotNow = Math.floor(this.secondOfDay / PRIOR_SLOT_SECONDS) % PRIOR_SLOTS;
    const here = this.peoplePrior[slotNow] as number;
    if (Number.isNaN(here)) return Number.NaN;
    const into = (this.secondOfDay % PRIOR_SLOT_SECONDS) / PRIOR_SLOT_SECONDS;
    let sum = here * (1 - into);
    for (let i = slotNow + 1; i < PRIOR_SLOTS; i++) sum += this.peoplePrior[i] as number;
    return sum;
  }

  /**
   * Agents the staffing prior says leave before a call placed now is answered: looking as far
   * ahead as a call placed now may still be answered (twice the mean answer delay + the connect
   * threshold).
   */
  leavingAhead(
    secondOfDay: number,
    minute: number,
    staying: number,
    meanDelay: number,
    connectWithinSeconds: number,
  ): number {
    const staffPrior = this.staffPrior;
    // A staffing drop the prior expects within the horizon: fewer agents will be there.
    const priorNow = staffPrior[minute] as number;
    const priorAhead = staffPrior[
      Math.floor((secondOfDay + 2 * meanDelay + connectWithinSeconds) / 60) % MINUTES_PER_DAY
    ] as number;
    // Agents the schedule takes away before a call placed now is answered: idle agents are the
    // first to leave at a shift's end (busy ones finish their call), so they come off the agents
    // expected free (a share of them still placed calls for agents about to go: 90% of the
    // answers in the minute of a 25 → 12 shift change were abandoned).
    // Counted from the staffing now: at the first second of a changed minute the prior already
    // holds the minute's (fewer) agents while the change has not happened yet (the tick comes
    // first), so the prior of this minute and the last, but never more than are here.
    const priorLast = staffPrior[(minute + MINUTES_PER_DAY - 1) % MINUTES_PER_DAY] as number;
    const reference = Math.min(staying, Math.max(priorNow, Number.isNaN(priorLast) ? priorNow : priorLast));
    return priorAhead < reference ? reference - priorAhead : 0;
  }
}
