import { falsePositiveRate } from "./amd-estimate.ts";
import { ColdStart } from "./cxo/cold-start.ts";
import { DayBudget } from "./cxo/day-budget.ts";
import { DaySpread } from "./cxo/day-spread.ts";
import { DialLog } from "./cxo/dial-log.ts";
import { OnlineEstimates } from "./cxo/estimates.ts";
import { FloorEstimate } from "./cxo/floor.ts";
import { FloorChance } from "./cxo/floor-chance.ts";
import { GainLoop, HOT_DROP_WEIGHT } from "./cxo/gain.ts";
import { isHot } from "./cxo/guards.ts";
import { LegalWindow } from "./cxo/legal-window.ts";
import { MINUTES_PER_DAY, TimeOfDayPriors } from "./cxo/priors.ts";
import { RemainingBudget } from "./cxo/remaining-budget.ts";
import { SetPoint } from "./cxo/set-point.ts";
import { FLOOR_BOUND_SHARE } from "./cxo/shared.ts";
import { boostOf, steeringOn } from "./cxo/steering.ts";
import { type CxoTuning, cxoTuning } from "./cxo/tuning.ts";
import {
  type ControllerOptions,
  dialsFor,
  lineHeadroom,
  type PacingController,
  type PacingLimits,
  type PacingObservation,
  type PacingStatus,
} from "./types.ts";

/**
 * `cxo`: our pacing controller (docs/pacing.md explains the design and shows the figures), a
 * composition of rules, each in its own module under cxo/ with its own state:
 *
 * 1. A model of the next seconds. Dials needed now = (agents expected free when the calls
 *    placed now are answered − answered calls already waiting) / P(live answer) − the live
 *    answers still expected from the calls ringing (`DialLog`). Agents expected free = ready +
 *    busy agents finishing within the answer horizon, with the handle time, the answer delay and
 *    the live-answer rate re-estimated online (`OnlineEstimates`), less the agents the staffing
 *    prior says leave before then (`TimeOfDayPriors`).
 * 2. A budget loop (`GainLoop`): a gain scales the expected free agents, moved by every live
 *    answer so abandonment settles at the set point (`SetPoint`): the day's aim and plan from
 *    the days' spread (`DaySpread`) and the detector's floor (`FloorEstimate`), corrected by what
 *    the legal window (`LegalWindow`) and today have spent, or re-planned at every tick by a
 *    budget rule (`DayBudget` at low targets, `RemainingBudget` for small teams); in-day steering
 *    scales the dials by today's drops against the plan (steering.ts). Where the detector's floor
 *    rules a low target, the floor's chance (`FloorChance`) caps the pacing the gain aims at, or
 *    dials the day progressively.
 * 3. Guards (guards.ts): a hot half hour, the window's and the day's projected rate cut the dials;
 *    progressive until the estimates have data and whenever fewer than `minAgents` are logged in;
 *    a low start under a low target (`ColdStart`); machines passed on as live are taken off the
 *    people counted, and the operator's estimate of people hung up on as machines is counted as
 *    abandoned.
 *
 * A tick is four steps: roll the day (once a day: yesterday into the priors and the day-to-day
 * spread), count the tick's outcomes, move the gain toward the set point, decide the dials.
 */
export function cxo(options: ControllerOptions): PacingController {
  const c = new CxoController(options.limits, cxoTuning(options.tuning ?? {}, options.limits));
  return {
    name: "cxo",
    tuning: c.tuning,
    tick: (o: PacingObservation) => c.tick(o),
    status: () => c.status(),
  };
}

/** What one tick's counting hands to the gain and the decision. */
interface TickCounts {
  /** Abandons counted (every drop: a machine's is not told apart from a person's). */
  drops: number;
  /** Live answers less the machines passed on as live. */
  people: number;
  /** Minute of the day. */
  minute: number;
  /** Agents logged in and not on their way out. */
  staying: number;
}

class CxoController {
  private readonly t: CxoTuning;
  /** Every tuning value this instance runs with (the defaults included): `tuning` and `status().tuning`. */
  readonly tuning: Readonly<Record<string, number>>;
  private readonly limits: PacingLimits;
  /** The operator's estimate of people hung up on as machines, per machine verdict (0: none given). */
  private readonly hiddenShare: number;
  private readonly dials = new DialLog();
  private readonly estimates: OnlineEstimates;
  private readonly priors = new TimeOfDayPriors();
  private readonly window: LegalWindow;
  private readonly floor = new FloorEstimate();
  private readonly spread = new DaySpread();
  private readonly gain: GainLoop;
  private readonly cold: ColdStart;
  private readonly dayBudget = new DayBudget();
  private readonly chance = new FloorChance();
  private readonly setPoint: SetPoint;
  /** The tick's counts (`count`), one object reused: a fresh one every second was garbage. */
  private readonly counted: TickCounts = { drops: 0, people: 0, minute: 0, staying: 0 };
  private ratio = 1;
  private inFlightWanted = Number.NaN;
  private pLive = 0;
  private day = Number.NaN;
  private dayOpenedAt = 0;

  constructor(limits: PacingLimits, tuning: CxoTuning) {
    this.limits = limits;
    this.t = tuning;
    this.tuning = Object.freeze(
      Object.fromEntries(Object.entries(tuning).filter(([, v]) => v !== undefined)) as Record<string, number>,
    );
    this.hiddenShare = falsePositiveRate(limits.amdFalsePositive);
    this.estimates = new OnlineEstimates(tuning.memoryCalls, tuning.ringCv);
    this.window = new LegalWindow(limits);
    this.gain = new GainLoop(tuning.initialGain, tuning.kappa, tuning.minGain);
    this.cold = new ColdStart(tuning.initialGain);
    this.setPoint = new SetPoint({
      limits,
      tuning,
      hiddenShare: this.hiddenShare,
      spread: this.spread,
      floor: this.floor,
      window: this.window,
      priors: this.priors,
      dayBudget: this.dayBudget,
      remaining: new RemainingBudget(limits, tuning.steer),
    });
  }

  tick(o: PacingObservation): number {
    if (o.day !== this.day) this.rollDay(o);
    const counted = this.count(o);
    this.chance.volume.add(o, counted.people);
    const warm = this.estimates.warm(this.t.warmupCalls, o.agentsLoggedIn);
    const hot = this.updateGain(o, counted, warm);
    return this.decide(o, counted, warm, hot);
  }

  status(): PacingStatus {
    const { aim } = this.setPoint;
    return {
      ratio: this.ratio,
      answerRate: this.pLive,
      gain: this.gain.g,
      amdMachineShare: this.estimates.machineShare,
      answerDelayCv: this.estimates.ringCv,
      ...(Number.isNaN(this.inFlightWanted) ? {} : { inFlightWanted: this.inFlightWanted }),
      ...(Number.isNaN(aim) ? {} : { dayAim: aim }),
      tuning: this.tuning,
    };
  }

  /** A new day: yesterday into the spread and the priors, the window's totals afresh, today's budget rule judged. */
  private rollDay(o: PacingObservation): void {
    const first = Number.isNaN(this.day);
    // Yesterday first: with a one-day window (Ofcom, the calendar day) its slot is today's, and
    // forgetting it first left the day spread unlearnt (the aim stuck at the margin).
    if (!first)
      this.spread.learn(
        this.window.livesOn(this.day),
        this.window.dropsOn(this.day),
        this.setPoint.plan,
        () => this.skipFirstMiss(),
      );
    this.window.roll(this.day, o.day);
    if (!first) {
      this.priors.roll();
      // Yesterday's evening is not this morning: restart the live-answer estimate from the
      // prior of the opening half hour (or the last estimate), with a small weight.
      this.estimates.restart(this.priors.liveRateAt(o.secondOfDay), this.t.openingWeight);
      // The low start is judged at the first day's end (a later day's, until enough ready-tick people are read).
      this.cold.judge(this.floor, this.limits.target, (g) => this.gain.lift(g));
    }
    this.day = o.day;
    this.dayOpenedAt = o.now;
    this.dayBudget.open(this.limits, this.spread.volume, this.floor);
    this.chance.open(this.limits.target, this.spread.volume, this.floor);
  }

  /**
   * Whether the campaign's first day is left out of the day-to-day miss: after the low start (a
   * day the gain spent climbing), or where the stronger steering follows (the first day is not
   * steered: no volume known yet).
   */
  private skipFirstMiss(): boolean {
    if (this.cold.started) return true;
    const { target } = this.limits;
    const volume = this.spread.volume;
    return (
      steeringOn(this.limits, this.t.steer, volume, this.floor.rate) &&
      this.floor.rate < FLOOR_BOUND_SHARE * target &&
      boostOf(target, volume) > 0
    );
  }

  /** The tick's outcomes into the window, today's priors, the short guard and the online estimates. */
  private count(o: PacingObservation): TickCounts {
    const c = o.counts;
    // Machines the detector passed on as live are not people: taken off the live answers the
    // budget counts. Every drop is counted (a machine's drop is not told apart from a person's):
    // the conservative side of Ofcom's deduction.
    const machineShare = this.estimates.countMachines(c);
    // The people the detector hung up on as machines, as the operator estimates them
    // (`limits.amdFalsePositive`, a share of the machine verdicts): abandoned live answers no
    // dialer observes, counted here as Ofcom counts them.
    const hidden = c.machines > 0 ? this.hiddenShare * c.machines : 0;
    const drops = c.abandons + hidden;
    const people = c.liveAnswers * (1 - machineShare) + hidden;
    this.window.add(this.day, o.now, people, drops);
    const resolved = c.liveAnswers + c.machines + c.unanswered;
    const minute = Math.floor(o.secondOfDay / 60) % MINUTES_PER_DAY;
    // Agents who will take calls: logged in and not on their way out.
    const staying = o.agentsLoggedIn - (o.agentsLeaving ?? 0);
    this.priors.add(o.secondOfDay, resolved, c.liveAnswers, people, minute, staying);
    this.estimates.estimate(o, resolved);
    const counted = this.counted;
    counted.drops = drops;
    counted.people = people;
    counted.minute = minute;
    counted.staying = staying;
    return counted;
  }

  /** The budget loop: the staffing level's gain, moved toward the set point by this tick's answers. Returns whether a guard fires. */
  private updateGain(o: PacingObservation, counted: TickCounts, warm: boolean): boolean {
    const c = o.counts;
    const { drops, people } = counted;
    const setPoint = this.setPoint.next(this.day);
    const good = Math.max(0, people - drops);
    this.gain.atStaffing(counted.staying);
    const hot = isHot(this.limits, this.t, this.window, this.floor.rate, this.setPoint.projected);
    if (warm && (c.liveAnswers > 0 || drops > 0)) {
      this.gain.countLives(c.liveAnswers);
      // A drop while agents sit ready and nobody waits was not for want of an agent (the
      // detector held the person past the threshold): the window counts it, the gain does not
      // chase it — no pacing can remove that floor. The state at the tick is the state at the
      // drop only when ticks are a second apart: a live loop reading once a minute cannot tell,
      // and counts every drop against the gain.
      const ready = o.elapsed <= 1 && o.agentsReady > 0 && o.callsWaiting === 0;
      const pacingDrops = this.floor.learn(people, drops, ready);
      // The gain aims at the set point less that floor, its pacing capped by the floor's chance;
      // it does not learn on a day dialled progressively (the floor does).
      if (!this.chance.progressive)
        this.gain.learn(
          good,
          pacingDrops,
          setPoint,
          this.floor.rate,
          hot ? this.dayBudget.hotDropWeight(HOT_DROP_WEIGHT) : 0,
          this.chance.cap,
        );
    }
    return hot;
  }

  /** How many calls to place now: progressive while cold or short of agents, else the model × the gain. */
  private decide(o: PacingObservation, counted: TickCounts, warm: boolean, hot: boolean): number {
    const { limits, estimates } = this;
    const room = lineHeadroom(o, limits);
    const progressiveDials = dialsFor(o.agentsReady, o, limits);
    if (!warm || o.agentsLoggedIn < this.t.minAgents || !estimates.hasLives() || this.chance.progressive) {
      this.ratio = 1;
      this.inFlightWanted = Number.NaN;
      return this.dials.log(o.now, progressiveDials);
    }
    this.pLive = estimates.liveAnswerRate();
    const pLive = this.pLive;
    const meanDelay = estimates.meanAnswerDelay();
    const freeSoon = estimates.freeSoon(o, meanDelay + limits.connectWithinSeconds);
    const expectedLives = this.dials.livesToCome(o.now, o.callsRinging, meanDelay, pLive, estimates.ringCv);
    // The day's opening (every agent idle at once) holds the gain ≤ 1; a hot half hour cuts it.
    const g = this.gain.g;
    const gain =
      (o.now - this.dayOpenedAt < this.t.openingSeconds ? Math.min(g, 1) : g) *
      (hot ? this.t.hotCut : 1) *
      this.setPoint.steerFactor;
    const leavingAhead = this.priors.leavingAhead(
      o.secondOfDay,
      counted.minute,
      counted.staying,
      meanDelay,
      limits.connectWithinSeconds,
    );
    const freeAfter = Math.max(0, freeSoon - leavingAhead);
    const wanted = (gain * freeAfter - o.callsWaiting - expectedLives) / pLive;
    this.inFlightWanted = Math.max(0, o.callsRinging + o.callsWaiting + Math.min(wanted, room));
    let n = Math.max(0, Math.min(Math.floor(wanted), room));
    // Progressive's floor, but not for ready agents the schedule is about to take away (idle
    // agents are the first to leave at a shift's end: a call placed for them finds nobody).
    const floorDials = Math.max(0, progressiveDials - leavingAhead);
    n = Math.max(n, Math.min(floorDials, room));
    this.dials.log(o.now, n);
    this.chance.volume.addDials(n);
    const active = o.agentsReady + o.agentsTalking;
    this.ratio = active > 0 ? (o.callsRinging + o.callsWaiting + o.callsConnected + n) / active : 1;
    return n;
  }
}
