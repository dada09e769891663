/** Staffing levels for the gain table: agents staying, in steps of this factor (20%). */
const STAFF_STEP = 1.2;
const STAFF_BUCKETS = 64;
/** The gain's bounds above (the floor is the `minGain` tuning). */
const GAIN_MAX = 3;
/** A staffing level's learnt gain is trusted after this many live answers. */
const GAIN_TRUST_LIVES = 300;
/** The first predictive answers move the gain up to this many times faster, over this many. */
const FAST_START_FACTOR = 4;
const FAST_START_LIVES = 2000;
/** The gain never aims below this share of the set point. */
const AIM_PACING_MIN_SHARE = 0.1;
/** A hot half hour: each pacing drop cuts the gain this many times more. */
export const HOT_DROP_WEIGHT = 2;

const staffBucket = (agents: number) =>
  Math.min(STAFF_BUCKETS - 1, Math.floor(Math.log(Math.max(1, agents)) / Math.log(STAFF_STEP)));

/**
 * The budget loop. A gain g scales the expected free agents (g > 1 dials ahead of the model,
 * g < 1 holds back). Every live answer moves g: down by κ(1 − s) when it was abandoned for want
 * of an agent, up by κ·s when it was connected, so pacing abandonment settles at the set point s
 * less the detector's floor. One gain per staffing level (agents staying, in 20% steps): the
 * model's bias depends on the team's size (a small team pools less), so after a lunch or a shift
 * change the gain learnt at that size on earlier days applies at once.
 */
export class GainLoop {
  g: number;
  private readonly kappa: number;
  private readonly minGain: number;
  private readonly gains = new Float64Array(STAFF_BUCKETS).fill(Number.NaN);
  /** Live answers each level's gain has learnt on: below GAIN_TRUST_LIVES it is not trusted yet. */
  private readonly gainLives = new Float64Array(STAFF_BUCKETS);
  private gainBucket = -1;
  /** The staffing bucket of the agents staying, kept until they change (a logarithm a tick otherwise). */
  private bucketOfStaying = Number.NaN;
  private staffingBucket = 0;
  /** Live answers paced predictively so far: the loop learns faster on the first ones. */
  private predictiveLives = 0;

  constructor(initialGain: number, kappa: number, minGain: number) {
    this.g = initialGain;
    this.kappa = kappa;
    this.minGain = minGain;
  }

  /** The level's gain for `staying` agents: the one learnt there once trusted, else the current one carried over. */
  atStaffing(staying: number): void {
    // The staffing bucket (a logarithm) only when the agents staying changed: most ticks they did not.
    if (staying !== this.bucketOfStaying) {
      this.bucketOfStaying = staying;
      this.staffingBucket = staffBucket(staying);
    }
    const bucketNow = this.staffingBucket;
    if (bucketNow !== this.gainBucket) {
      if (this.gainBucket >= 0) this.gains[this.gainBucket] = this.g;
      const learnt = this.gains[bucketNow] as number;
      if (!Number.isNaN(learnt) && (this.gainLives[bucketNow] as number) >= GAIN_TRUST_LIVES) this.g = learnt;
      this.gainBucket = bucketNow;
    }
  }

  /** Counts a warm tick's live answers (the faster start and the level's trust). */
  countLives(liveAnswers: number): void {
    this.predictiveLives += liveAnswers;
    this.gainLives[this.gainBucket] = (this.gainLives[this.gainBucket] as number) + liveAnswers;
  }

  /**
   * Moves the gain by a tick's `good` answers and `pacingDrops` toward `setPoint` less the floor
   * (`floorRate`), a hot half hour's pacing drops weighed `hotWeight` times more; the pacing it
   * aims at is at most `pacingCap` drops per person (the floor's chance, floor-chance.ts).
   */
  learn(
    good: number,
    pacingDrops: number,
    setPoint: number,
    floorRate: number,
    hotWeight: number,
    pacingCap = Number.POSITIVE_INFINITY,
  ): void {
    // A faster loop on the campaign's first predictive answers (4× → 1× over 2,000).
    const k = this.kappa * Math.max(1, FAST_START_FACTOR * (1 - this.predictiveLives / FAST_START_LIVES));
    const aimPacing = Math.min(pacingCap, Math.max(AIM_PACING_MIN_SHARE * setPoint, setPoint - floorRate));
    this.g *= Math.exp(k * (good * aimPacing - pacingDrops * (1 - aimPacing) - hotWeight * pacingDrops));
    if (this.g < this.minGain) this.g = this.minGain;
    else if (this.g > GAIN_MAX) this.g = GAIN_MAX;
  }

  /** Lifts every level's gain (and the current one) to at least `gain` (the cold start's release). */
  lift(gain: number): void {
    for (let i = 0; i < this.gains.length; i++) if ((this.gains[i] as number) < gain) this.gains[i] = gain;
    if (this.g < gain) this.g = gain;
  }
}
