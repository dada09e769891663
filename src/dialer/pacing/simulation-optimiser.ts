import { CALL_SERIES, DIALS, LIVES, RollingCounts } from "./rolling.ts";
import { type ControllerOptions, dialsFor, type PacingController, type PacingObservation } from "./types.ts";

/**
 * Impact Dialing's simulation optimiser (impactdialing/impactdialing `simulated_values.rb`,
 * `predictive.rb`, as the reference describes it, pacing.md §2): from the last 30 minutes'
 * attempts (answer rate, answer delay, handle time; the original resamples up to 100 of them)
 * simulate the next 4 minutes for 6 dials-per-idle-agent factors from 1 to 1/answer rate and
 * keep the one with the highest agent utilisation whose simulated abandonment is under the
 * target; live dials = factor × idle agents − (ringing + presented); the factor is cut to 0.75×
 * while the measured rate is over the target; progressive below 5 agents or 50 attempts.
 * Re-optimised every minute with its own random stream (deterministic). Tuned knob: the
 * simulation's abandonment target.
 */
const HANDLED = CALL_SERIES;
const HANDLE_SECONDS = CALL_SERIES + 1;
const ANSWERED = CALL_SERIES + 2;
const ANSWER_SECONDS = CALL_SERIES + 3;

export function simulationOptimiser(options: ControllerOptions): PacingController {
  const { limits } = options;
  const tuning = options.tuning ?? {};
  const simTarget = Number(tuning.target ?? limits.target);
  const stats = new RollingCounts(60, 30, CALL_SERIES + 4);
  let factor = 1;
  let nextOptimise = Number.NEGATIVE_INFINITY;
  let runLives = 0;
  let runDrops = 0;
  const trial = trialRunner();

  return {
    name: "simulation-optimiser",
    tuning: { target: simTarget },
    tick(o: PacingObservation): number {
      const c = o.counts;
      stats.addCalls(o);
      stats.add(HANDLED, c.handled);
      stats.add(HANDLE_SECONDS, c.handleSeconds);
      stats.add(ANSWERED, c.liveAnswers + c.machines);
      stats.add(ANSWER_SECONDS, c.answerSeconds);
      runLives += c.liveAnswers;
      runDrops += c.abandons;
      const dials = stats.total(DIALS);
      if (o.agentsLoggedIn < 5 || dials < 50) {
        factor = 1;
        return dialsFor(o.agentsReady, o, limits);
      }
      if (o.now >= nextOptimise) {
        nextOptimise = o.now + 60;
        const p = Math.max(0.01, stats.total(LIVES) / dials);
        const handled = stats.total(HANDLED);
        const handle = handled > 0 ? stats.total(HANDLE_SECONDS) / handled : 180;
        const answered = stats.total(ANSWERED);
        const delay = answered > 0 ? stats.total(ANSWER_SECONDS) / answered : 12;
        const top = Math.min(1 / p, limits.maxLinesPerAgent * 4);
        let best = 1;
        let bestUse = -1;
        for (let i = 0; i < 6; i++) {
          const f = 1 + ((top - 1) * i) / 5;
          const [use, abandon] = trial(o, f, p, handle, delay);
          if (abandon < simTarget && use > bestUse) {
            best = f;
            bestUse = use;
          }
        }
        factor = best;
        if (runLives > 0 && runDrops / runLives > limits.target) factor = Math.max(1, factor * 0.75);
      }
      return dialsFor(Math.floor(factor * o.agentsReady), o, limits);
    },
    status: () => ({ ratio: factor }),
  };
}

/**
 * The optimiser's 4-minute trial, with its own random stream and second-by-second tables of
 * arrivals (one per controller, reused by every trial).
 */
function trialRunner() {
  const random = optimiserRandom();
  const liveAt = new Float64Array(300);
  const freeAt = new Float64Array(300);

  /** One 4-minute simulation at `f`, second by second: [utilisation, abandonment]. */
  return (
    o: PacingObservation,
    f: number,
    p: number,
    handle: number,
    answerDelay: number,
  ): [number, number] => {
    const agents = o.agentsLoggedIn;
    let busy = o.agentsTalking + o.agentsWrapping;
    let idle = Math.max(0, agents - busy);
    let inflight = 0;
    let busyTime = 0;
    let lives = 0;
    let drops = 0;
    liveAt.fill(0);
    freeAt.fill(0);
    const delay = Math.max(1, Math.min(60, Math.round(answerDelay)));
    // busy + idle stays max(agents, busy now): busy never goes past it.
    random.forTrial(Math.max(agents, busy));
    // The stream's state in a local for the trial (an int32 register, not a load and a store a draw).
    let state = random.state[0] as number;
    for (let t = 0; t < 240; t++) {
      // Handles ending this second: Poisson(busy / handle) by multiplying uniforms (Knuth).
      const limit = random.expOf(busy, handle);
      let ended = 0;
      state = xorshift(state);
      let product = unitOf(state);
      while (product > limit) {
        ended++;
        state = xorshift(state);
        product *= unitOf(state);
      }
      const done = Math.min(busy, ended);
      busy -= done;
      idle += done;
      inflight -= freeAt[t] as number;
      const arriving = liveAt[t] as number;
      inflight -= arriving;
      lives += arriving;
      const served = Math.min(idle, arriving);
      idle -= served;
      busy += served;
      drops += arriving - served;
      const n = Math.floor(f * idle) - inflight;
      if (n > 0) {
        // The dials' answers counted in a register and added once (whole numbers: the same
        // sums), without a branch per dial (live or not is a coin flip to the CPU).
        let live = 0;
        for (let k = 0; k < n; k++) {
          state = xorshift(state);
          live += Number(unitOf(state) < p);
        }
        liveAt[t + delay] = (liveAt[t + delay] as number) + live;
        freeAt[t + 25] = (freeAt[t + 25] as number) + (n - live);
        inflight += n;
      }
      busyTime += busy;
    }
    random.state[0] = state;
    return [busyTime / (240 * Math.max(1, agents)), lives > 0 ? drops / lives : 0];
  };
}

/** xorshift32's next state: the optimiser's own stream (deterministic, int32 maths). */
function xorshift(seed: number): number {
  let s = seed;
  s ^= s << 13;
  s ^= s >>> 17;
  return s ^ (s << 5);
}

/** A state as a uniform on the open interval (0, 1). */
function unitOf(state: number): number {
  return ((state >>> 0) + 0.5) / 4294967296;
}

/**
 * The optimiser's random stream: its xorshift32 state (in an Int32Array, not a captured `let`:
 * an int32 beyond the small-integer range in a closure's variable is a fresh heap number at
 * every write; a trial keeps it in a local), and exp(−busy / handle) by busy agents for the
 * trial under way (the Poisson draws' limit). The same int32 arithmetic and the same
 * exponentials as ever: the same numbers.
 */
function optimiserRandom() {
  const state = new Int32Array([0x2545f491]);
  /** exp(−busy / handle) by busy agents, for the trial under way (NaN: not yet computed). */
  let expOfBusy = new Float64Array(64);
  const expOf = (busy: number, handle: number): number => {
    let limit = busy < expOfBusy.length ? (expOfBusy[busy] as number) : Number.NaN;
    if (Number.isNaN(limit)) {
      limit = Math.exp(-(busy / handle));
      if (busy < expOfBusy.length) expOfBusy[busy] = limit;
    }
    return limit;
  };

  /** A new trial that sees at most `busyAtMost` busy agents (the table of exponentials afresh). */
  const forTrial = (busyAtMost: number) => {
    if (expOfBusy.length <= busyAtMost) expOfBusy = new Float64Array(2 * busyAtMost + 1);
    expOfBusy.fill(Number.NaN);
  };
  return { state, expOf, forTrial };
}
