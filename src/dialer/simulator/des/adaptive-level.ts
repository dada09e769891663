/** Adaptive pacing: VICIdial re-evaluates every 15 s over the last minute. */
export const CONTROL_INTERVAL = 15;
const CONTROL_WINDOW_INTERVALS = 4;
/** Controller gains: fraction of the ready-agent surplus acted on per step, and the step-down while over target. */
const ADAPT_GAIN = 0.25;
const ADAPT_TAPER = 0.95;

/**
 * The dial level (lines per ready agent): fixed at the dial ratio, except in adaptive mode,
 * where a VICIdial-style controller moves it every 15 s toward the abandonment target from what
 * it saw in the last minute (idle agents, waiting calls) and in the run so far (drops ÷ lives).
 */
export class DialLevel {
  value: number;
  private readonly maxLevel: number;
  private readonly target: number;
  private readonly agents: number;
  /** Idle-agent and waiting-call time integrals per 15 s interval of the last minute. */
  private readonly idle = new Float64Array(CONTROL_WINDOW_INTERVALS);
  private readonly waiting = new Float64Array(CONTROL_WINDOW_INTERVALS);
  private interval = 0;
  private intervalLives = 0;
  private intervalDrops = 0;
  private runLives = 0;
  private runDrops = 0;

  constructor(adaptive: boolean, dialRatio: number, abandonmentTarget: number, agents: number) {
    this.value = adaptive ? 1 : dialRatio;
    this.maxLevel = dialRatio;
    this.target = abandonmentTarget;
    this.agents = agents;
  }

  /** `idle` agents and `waiting` calls held for `dt` seconds. */
  accumulate(idle: number, waiting: number, dt: number): void {
    const i = this.interval;
    this.idle[i] = (this.idle[i] as number) + idle * dt;
    this.waiting[i] = (this.waiting[i] as number) + waiting * dt;
  }

  countLive(): void {
    this.intervalLives++;
    this.runLives++;
  }

  countDrop(): void {
    this.intervalDrops++;
    this.runDrops++;
  }

  /** One controller step (every CONTROL_INTERVAL seconds). */
  step(): void {
    let idleSum = 0;
    let waitingSum = 0;
    for (let i = 0; i < CONTROL_WINDOW_INTERVALS; i++) {
      idleSum += this.idle[i] as number;
      waitingSum += this.waiting[i] as number;
    }
    const span = CONTROL_INTERVAL * CONTROL_WINDOW_INTERVALS;
    let level = this.value;
    const overTarget = this.runLives > 0 && this.runDrops / this.runLives > this.target;
    if (overTarget) {
      // Over the target for the run so far: never raise, taper down until back under.
      level *= ADAPT_TAPER;
    } else {
      // More ready agents than waiting calls → dial harder; calls waiting → ease off.
      level *= 1 + (ADAPT_GAIN * (idleSum / span - waitingSum / span)) / this.agents;
    }
    // A drop spike in the last interval halves the level at once.
    if (this.intervalLives >= 5 && this.intervalDrops / this.intervalLives > 2 * this.target) level /= 2;
    this.value = Math.min(this.maxLevel, Math.max(1, level));
    this.intervalLives = 0;
    this.intervalDrops = 0;
    this.interval = (this.interval + 1) % CONTROL_WINDOW_INTERVALS;
    this.idle[this.interval] = 0;
    this.waiting[this.interval] = 0;
  }
}
