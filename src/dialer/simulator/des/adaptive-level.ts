/** Adaptive pacing: VICIdial re-evaluates every 15 s over the last minute. */
export const CONTROL_INTERVAL = 15;
const CONTROL_WINDOW_INTERVALS = 4;
/** Controller gains: fraction of the ready-agent surplus acted on per step, and the step-down while over target. */
const ADAPT_GAIN = 0.25;
const ADAPT_TAPER = 0.95;

/**
 * The DES's adaptive dial level (mode "adaptive"): a VICIdial-style controller that every
 * CONTROL_INTERVAL moves the level toward the abandonment target from what it saw over the last
 * minute (idle agents and waiting calls, integrated) and the run's drops so far. Between 1 and
 * the configured ratio.
 */
export class AdaptiveLevel {
  level = 1;
  private readonly agents: number;
  private readonly maxRatio: number;
  private readonly target: number;
  // Idle/waiting integrals per 15 s interval of the last minute, drops and lives.
  private readonly idle = new Float64Array(CONTROL_WINDOW_INTERVALS);
  private readonly waiting = new Float64Array(CONTROL_WINDOW_INTERVALS);
  private slot = 0;
  private intervalLives = 0;
  private intervalDrops = 0;
  private runLives = 0;
  private runDrops = 0;

  constructor(agents: number, maxRatio: number, target: number) {
    this.agents = agents;
    this.maxRatio = maxRatio;
    this.target = target;
  }

  /** `dt` seconds passed with `idle` agents idle and `waiting` calls waiting. */
  advance(idle: number, waiting: number, dt: number): void {
    this.idle[this.slot] = (this.idle[this.slot] as number) + idle * dt;
    this.waiting[this.slot] = (this.waiting[this.slot] as number) + waiting * dt;
  }

  live(): void {
    this.intervalLives++;
    this.runLives++;
  }

  drop(): void {
    this.intervalDrops++;
    this.runDrops++;
  }

  /** One control step (every CONTROL_INTERVAL). */
  control(): void {
    let idleSum = 0;
    let waitingSum = 0;
    for (let i = 0; i < CONTROL_WINDOW_INTERVALS; i++) {
      idleSum += this.idle[i] as number;
      waitingSum += this.waiting[i] as number;
    }
    const span = CONTROL_INTERVAL * CONTROL_WINDOW_INTERVALS;
    const overTarget = this.runLives > 0 && this.runDrops / this.runLives > this.target;
    let level = this.level;
    if (overTarget) {
      // Over the target for the run so far: never raise, taper down until back under.
      level *= ADAPT_TAPER;
    } else {
      // More ready agents than waiting calls → dial harder; calls waiting → ease off.
      level *= 1 + (ADAPT_GAIN * (idleSum / span - waitingSum / span)) / this.agents;
    }
    // A drop spike in the last interval halves the level at once.
    if (this.intervalLives >= 5 && this.intervalDrops / this.intervalLives > 2 * this.target) level /= 2;
    this.level = Math.min(this.maxRatio, Math.max(1, level));
    this.intervalLives = 0;
    this.intervalDrops = 0;
    this.slot = (this.slot + 1) % CONTROL_WINDOW_INTERVALS;
    this.idle[this.slot] = 0;
    this.waiting[this.slot] = 0;
  }
}
