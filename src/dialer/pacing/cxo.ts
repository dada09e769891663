import { RollingCounts } from "./rolling.ts";
import {
  type ControllerOptions,
  lineHeadroom,
  type PacingController,
  type PacingObservation,
  WINDOW_SECONDS,
} from "./types.ts";

/**
 * `cxo`: our pacing controller (docs/pacing.md explains the design and shows the figures).
 *
 * 1. A model of the next seconds. Dials needed now = (agents expected free when the calls
 *    placed now are answered − answered calls already waiting) / P(live answer) − the live
 *    answers still expected from the calls ringing. Agents expected free = ready + busy agents
 *    × P(handle ends within the answer horizon), with the handle time, the answer delay and
 *    the live-answer rate re-estimated online (exponentially weighted, so a list switch or the
 *    afternoon's drift shows within a few hundred calls).
 * 2. A budget loop. A gain g scales the expected free agents (g > 1 dials ahead of the model,
 *    g < 1 holds back). Every live answer moves g: down by κ(1 − s) when it was abandoned, up by
 *    κ·s when it was connected, so abandonment settles at the set point s. The set point spends
 *    the configured window's budget deliberately: the target × margin, corrected by what the
 *    window has already spent (over-spent → lower, under-spent → higher, within bounds so no
 *    half hour runs hot), and held under the target for the calendar day too.
 * 3. Guards: progressive until the estimates have data (warm-up) and whenever fewer than
 *    `minAgents` are logged in; never more lines than `maxLinesPerAgent` × agents; the AMD
 *    false positives' share of drops is deducted from the count (they were machines).
 */
const DAY = 86_400;
/** The time-of-day prior's slots: half hours. */
const PRIOR_SLOT_SECONDS = 1800;
const PRIOR_SLOTS = DAY / PRIOR_SLOT_SECONDS;
const STAFF_BUCKETS = 64;
/** How far the answer delay's log-mean (and, relatively, its spread) may move before the memoised tails are recomputed. */
const TAIL_TOLERANCE = 0.002;
const staffBucket = (agents: number) =>
  Math.min(STAFF_BUCKETS - 1, Math.floor(Math.log(Math.max(1, agents)) / Math.log(1.2)));

export function cxo(options: ControllerOptions): PacingController {
  const { limits } = options;
  const tuning = options.tuning ?? {};
  const margin = Number(tuning.margin ?? 0.8);
  const kappa = Number(tuning.kappa ?? 0.02);
  const minAgents = Number(tuning.minAgents ?? 3);
  const warmupCalls = Number(tuning.warmupCalls ?? 300);
  const openingSeconds = Number(tuning.openingSeconds ?? 300);
  const memoryCalls = Number(tuning.memoryCalls ?? 300);
  // The answer delay's shape: a prior cv until enough answers estimate it online.
  const ringCvPrior = Number(tuning.ringCv ?? 0.5);
  let ringCv = ringCvPrior;
  const wrapMode = Number(tuning.wrapMode ?? 1);
  const gMin = Number(tuning.minGain ?? 0.05);
  // At the day's opening the live-answer estimate restarts from the time-of-day prior with this
  // weight (in resolved calls), so the day's own calls take over within a minute or two.
  const openingWeight = Number(tuning.openingWeight ?? 60);
  // The short guard: over this multiple of the target in the last 30 minutes, every drop cuts
  // the gain harder and the gain is held ≤ 1.
  const hotFactor = Number(tuning.hotFactor ?? 1.5);
  const hotCut = Number(tuning.hotCut ?? 0.6);
  // Its own dials of the last AGE_SLOTS seconds, by age: the live answers still to come from them.
  const AGE_SLOTS = 64;
  const dialsAt = new Float64Array(AGE_SLOTS);
  const dialTimes = new Float64Array(AGE_SLOTS);
  let dialHead = 0;
  const gMax = 3;
  // P(not yet answered at age a) for whole ages, memoised while the answer-delay estimate (mu)
  // stays the same (it moves only on ticks with answers): the same values, computed less often.
  const tailAt = new Float64Array(AGE_SLOTS).fill(Number.NaN);
  let tailMu = Number.NaN;
  let tailSigma = Number.NaN;

  // Online estimates (exponentially weighted sums).
  let wDials = 0;
  let wLives = 0;
  let wHandled = 0;
  let wHandleSeconds = 0;
  let wWrapSeconds = 0;
  let wAnswered = 0;
  let wAnswerSeconds = 0;
  // Spread of the answer delay from the per-tick sums: with k answers summing S, E[(S − kμ)²] = kσ².
  let wDelayDeviation = 0;
  let wDelayCount = 0;
  let wConnects = 0;
  let wFloorDrops = 0;
  let wFloorPeople = 0;
  let wAgentMachines = 0;
  let seenResolved = 0;
  let seenHandled = 0;
  // Starts cautious: the first completions after a cold start come later than the model says.
  let g = Number(tuning.initialGain ?? 0.5);
  // One gain per staffing level (agents staying, in 20% steps): the model's bias depends on the
  // team's size (a small team pools less), so after a lunch or a shift change the gain learnt
  // at that size on earlier days applies at once.
  const gains = new Float64Array(STAFF_BUCKETS).fill(Number.NaN);
  // Live answers each level's gain has learnt on: below 300 it is not trusted yet.
  const gainLives = new Float64Array(STAFF_BUCKETS);
  let gainBucket = -1;
  let ratio = 1;
  let inFlightWanted = Number.NaN;
  let pLive = 0;
  let machineShare = 0;

  // The legal window, per day: live answers and abandons the controller counted.
  const windowDays = Math.max(1, Math.round(WINDOW_SECONDS[limits.window] / DAY));
  const dayLives = new Float64Array(windowDays);
  const dayDrops = new Float64Array(windowDays);
  let windowLives = 0;
  let windowDrops = 0;
  let day = Number.NaN;
  let dayOpenedAt = 0;
  // The time-of-day prior of P(live answer): per half hour, the days seen (exponentially weighted).
  const prior = new Float64Array(PRIOR_SLOTS).fill(Number.NaN);
  const todayResolved = new Float64Array(PRIOR_SLOTS);
  const todayLive = new Float64Array(PRIOR_SLOTS);
  // The last 30 minutes' live answers and drops (the short guard).
  const recent = new RollingCounts(60, 30, 2);
  // Ofcom's window is the last 24 hours from any moment, not the calendar day: kept in 10 minutes.
  const rolling24 = limits.window === "ofcom-24h" ? new RollingCounts(600, 144, 2) : null;
  // The time-of-day prior of staffing: agents logged in per minute of the day (the fewest seen
  // in that minute, exponentially weighted over days): a drop the schedule repeats every day
  // (lunch, a shift's end) is anticipated by the answer horizon.
  const staffPrior = new Float64Array(1440).fill(Number.NaN);
  const staffToday = new Float64Array(1440).fill(Number.NaN);
  // Live answers paced predictively so far: the budget loop learns faster on the first ones.
  let predictiveLives = 0;
  // Its own day rates: live answers per day and the day-to-day spread of the rate.
  let dayVolume = 0;
  let daysSeen = 0;
  let rateMean = 0;
  let rateSquare = 0;
  let daySpread = 0;

  return {
    name: "cxo",
    tuning: { margin, kappa, minAgents, warmupCalls, memoryCalls },
    tick(o: PacingObservation): number {
      const c = o.counts;
      if (o.day !== day) {
        // Days that fell out of the window are forgotten.
        if (!Number.isNaN(day))
          for (let d = day + 1; d <= o.day && d <= day + windowDays; d++) {
            dayLives[d % windowDays] = 0;
            dayDrops[d % windowDays] = 0;
          }
        if (!Number.isNaN(day)) {
          // Yesterday's rate as counted, into the day-to-day spread (exponentially weighted).
          const lives = dayLives[day % windowDays] as number;
          if (lives >= 100) {
            const rate = (dayDrops[day % windowDays] as number) / lives;
            dayVolume = dayVolume > 0 ? 0.7 * dayVolume + 0.3 * lives : lives;
            daysSeen++;
            rateMean = daysSeen === 1 ? rate : 0.8 * rateMean + 0.2 * rate;
            rateSquare = daysSeen === 1 ? rate * rate : 0.8 * rateSquare + 0.2 * rate * rate;
            if (daysSeen >= 5) daySpread = Math.sqrt(Math.max(0, rateSquare - rateMean * rateMean));
          }
          for (let i = 0; i < PRIOR_SLOTS; i++) {
            const n = todayResolved[i] as number;
            if (n >= 30) {
              const rate = (todayLive[i] as number) / n;
              const before = prior[i] as number;
              prior[i] = Number.isNaN(before) ? rate : 0.6 * before + 0.4 * rate;
            }
          }
          todayResolved.fill(0);
          todayLive.fill(0);
          for (let i = 0; i < 1440; i++) {
            const seen = staffToday[i] as number;
            if (Number.isNaN(seen)) continue;
            const before = staffPrior[i] as number;
            staffPrior[i] = Number.isNaN(before) ? seen : 0.5 * before + 0.5 * seen;
          }
          staffToday.fill(Number.NaN);
          // Yesterday's evening is not this morning: restart the live-answer estimate from the
          // prior of the opening half hour (or the last estimate), with a small weight.
          const opening = prior[Math.floor(o.secondOfDay / PRIOR_SLOT_SECONDS) % PRIOR_SLOTS] as number;
          const rate = Number.isNaN(opening) ? (wDials > 0 ? wLives / wDials : Number.NaN) : opening;
          if (!Number.isNaN(rate) && wDials > openingWeight) {
            wDials = openingWeight;
            wLives = openingWeight * rate;
          }
        }
        day = o.day;
        dayOpenedAt = o.now;
        // The window's totals, summed afresh once a day (kept by each tick's counts between).
        windowLives = 0;
        windowDrops = 0;
        for (let i = 0; i < windowDays; i++) {
          windowLives += dayLives[i] as number;
          windowDrops += dayDrops[i] as number;
        }
      }
      const slot = day % windowDays;
      // Machines the detector passed on as live are not people: their share of the calls passed
      // on is learnt from the agents' machine dispositions among connected calls, and taken off
      // the live answers the budget counts. Every drop is counted (a machine's drop is not told
      // apart from a person's): the conservative side of Ofcom's deduction.
      // (Math.exp only when something happened: most ticks count nothing of a kind, and e^0 = 1.)
      const connectDecay = c.connects > 0 ? Math.exp(-c.connects / (4 * memoryCalls)) : 1;
      wConnects = wConnects * connectDecay + c.connects;
      wAgentMachines = wAgentMachines * connectDecay + (c.agentMachines ?? 0);
      machineShare = wConnects >= 50 ? Math.min(0.5, wAgentMachines / wConnects) : 0;
      const drops = c.abandons;
      const people = c.liveAnswers * (1 - machineShare);
      dayLives[slot] = (dayLives[slot] as number) + people;
      dayDrops[slot] = (dayDrops[slot] as number) + drops;
      windowLives += people;
      windowDrops += drops;

      // Online estimates.
      const resolved = c.liveAnswers + c.machines + c.unanswered;
      const priorSlot = Math.floor(o.secondOfDay / PRIOR_SLOT_SECONDS) % PRIOR_SLOTS;
      todayResolved[priorSlot] = (todayResolved[priorSlot] as number) + resolved;
      todayLive[priorSlot] = (todayLive[priorSlot] as number) + c.liveAnswers;
      const minute = Math.floor(o.secondOfDay / 60) % 1440;
      // Agents who will take calls: logged in and not on their way out.
      const staying = o.agentsLoggedIn - (o.agentsLeaving ?? 0);
      const seenNow = staffToday[minute] as number;
      if (Number.isNaN(seenNow) || staying < seenNow) staffToday[minute] = staying;
      recent.at(o.now);
      recent.add(0, people);
      recent.add(1, drops);
      if (rolling24) {
        rolling24.at(o.now);
        rolling24.add(0, people);
        rolling24.add(1, drops);
      }
      seenResolved += resolved;
      seenHandled += c.handled;
      const decay = resolved > 0 ? Math.exp(-resolved / memoryCalls) : 1;
      wDials = wDials * decay + resolved;
      wLives = wLives * decay + c.liveAnswers;
      const handleDecay = c.handled > 0 ? Math.exp(-c.handled / (memoryCalls / 3)) : 1;
      wHandled = wHandled * handleDecay + c.handled;
      // Little's law: busy agent-seconds per finished call. Unlike the mean of finished calls
      // (short ones finish first), it errs long at a cold start: the safe side.
      wHandleSeconds = wHandleSeconds * handleDecay + (o.agentsTalking + o.agentsWrapping) * o.elapsed;
      wWrapSeconds = wWrapSeconds * handleDecay + o.agentsWrapping * o.elapsed;
      const answeredNow = c.liveAnswers + c.machines;
      const answerDecay = answeredNow > 0 ? Math.exp(-answeredNow / memoryCalls) : 1;
      wAnswered = wAnswered * answerDecay + answeredNow;
      if (answeredNow > 0 && wAnswered > 0) {
        const mean = wAnswerSeconds / wAnswered;
        const deviation = c.answerSeconds - answeredNow * mean;
        const spreadDecay = Math.exp(-answeredNow / (4 * memoryCalls));
        wDelayDeviation = wDelayDeviation * spreadDecay + deviation * deviation;
        wDelayCount = wDelayCount * spreadDecay + answeredNow;
        if (wDelayCount >= 200 && mean > 0)
          ringCv = Math.max(0.2, Math.min(1.5, Math.sqrt(wDelayDeviation / wDelayCount) / mean));
      }
      wAnswerSeconds = wAnswerSeconds * answerDecay + c.answerSeconds;

      // Set point: spend the window's budget, never more than the target today.
      let wl = windowLives;
      let wd = windowDrops;
      // The day's aim: the margin, and low enough that a day goes over the target on ≤ 1% of
      // days: target − 2.33 × the spread of its own day rates (learnt over the days seen, never
      // below the binomial spread of a day's live answers).
      const spread = Math.max(daySpread, dayVolume > 0 ? Math.sqrt((margin * limits.target) / dayVolume) : 0);
      const aim = Math.max(
        0.4 * limits.target,
        Math.min(margin * limits.target, limits.target - 2.33 * spread),
      );
      const todayL = dayLives[slot] as number;
      const todayD = dayDrops[slot] as number;
      if (rolling24) {
        wl = rolling24.total(0);
        wd = rolling24.total(1);
      }
      const windowRate = wl > 0 ? wd / wl : 0;
      const todayRate = todayL > 0 ? todayD / todayL : 0;
      const over = Math.max(windowRate, todayRate) - aim;
      const setPoint = Math.max(0.25 * aim, Math.min(limits.target, aim - 2 * over));

      // Budget loop on the gain.
      const good = Math.max(0, people - drops);
      const warm = seenResolved >= warmupCalls && seenHandled >= Math.max(30, o.agentsLoggedIn);
      const bucketNow = staffBucket(staying);
      if (bucketNow !== gainBucket) {
        if (gainBucket >= 0) gains[gainBucket] = g;
        const learnt = gains[bucketNow] as number;
        if (!Number.isNaN(learnt) && (gainLives[bucketNow] as number) >= 300) g = learnt;
        gainBucket = bucketNow;
      }
      const recentLives = recent.total(0);
      const hot = recentLives >= 20 && recent.total(1) > hotFactor * limits.target * recentLives;
      if (warm && (c.liveAnswers > 0 || drops > 0)) {
        // A faster loop on the campaign's first predictive answers (4× → 1× over 2,000).
        predictiveLives += c.liveAnswers;
        const floorDecay = Math.exp(-people / 5000);
        gainLives[gainBucket] = (gainLives[gainBucket] as number) + c.liveAnswers;
        const k = kappa * Math.max(1, 4 * (1 - predictiveLives / 2000));
        // A drop while agents sit ready and nobody waits was not for want of an agent (the
        // detector held the person past the threshold): the window counts it, the gain does not
        // chase it — no pacing can remove that floor.
        // The state at the tick is the state at the drop only when ticks are a second apart: a
        // live loop reading once a minute cannot tell, and counts every drop against the gain.
        const pacingDrops = o.elapsed <= 1 && o.agentsReady > 0 && o.callsWaiting === 0 ? 0 : drops;
        // The gain aims at the set point less that floor (learnt: floor drops per live answer).
        wFloorDrops = wFloorDrops * floorDecay + (drops - pacingDrops);
        wFloorPeople = wFloorPeople * floorDecay + people;
        const floor = wFloorPeople >= 200 ? wFloorDrops / wFloorPeople : 0;
        const aimPacing = Math.max(0.1 * setPoint, setPoint - floor);
        g *= Math.exp(k * (good * aimPacing - pacingDrops * (1 - aimPacing) - (hot ? 2 * pacingDrops : 0)));
        if (g < gMin) g = gMin;
        else if (g > gMax) g = gMax;
      }

      const room = lineHeadroom(o, limits);
      const progressiveDials = Math.max(0, Math.min(o.agentsReady - o.callsRinging - o.callsWaiting, room));
      if (!warm || o.agentsLoggedIn < minAgents || wLives <= 0) {
        ratio = 1;
        inFlightWanted = Number.NaN;
        dialHead = (dialHead + 1) % AGE_SLOTS;
        dialsAt[dialHead] = progressiveDials;
        dialTimes[dialHead] = o.now;
        return progressiveDials;
      }
      pLive = wLives / wDials;
      const handle = wHandleSeconds / wHandled;
      const horizon = (wAnswered > 0 ? wAnswerSeconds / wAnswered : 12) + limits.connectWithinSeconds;
      const busy = o.agentsTalking + o.agentsWrapping;
      // Wrapping agents are near the end of their handle: each is free within the horizon with
      // probability about horizon / (mean wrap), capped at 1; a talking agent must finish the
      // talk AND the wrap-up within it. Both means by Little's law.
      const wrapMean = wWrapSeconds / wHandled;
      const talkMean = Math.max(1, handle - wrapMean);
      const pWrap = wrapMean > 0 ? Math.min(1, horizon / wrapMean) : 1;
      const busySoon =
        wrapMode === 1
          ? o.agentsWrapping * pWrap +
            o.agentsTalking * (1 - Math.exp(-Math.max(0, horizon - wrapMean) / talkMean))
          : busy * (1 - Math.exp(-horizon / handle));
      // Busy agents who asked to leave after their call (break, end of shift) will not be free for
      // one, and they are the first to come free as far as the controller can tell (which busy
      // agents are leaving is not observed): they come off the agents expected free, not a share.
      const freeSoon = o.agentsReady + Math.max(0, busySoon - (o.agentsLeaving ?? 0));
      // Live answers still to come: each recent dial, live with pLive, not yet answered at its age.
      const meanDelay = wAnswered > 0 ? wAnswerSeconds / wAnswered : 12;
      const sigma2 = Math.log(1 + ringCv * ringCv);
      const sigma = Math.sqrt(sigma2);
      const mu = Math.log(meanDelay) - sigma2 / 2;
      // The memo holds while mu and sigma move less than TAIL_TOLERANCE (a tail off by < 0.2% of
      // a dial's chance): recomputing the tails on every tick with an answer cost a fifth of a run.
      if (
        !(Math.abs(mu - tailMu) <= TAIL_TOLERANCE) ||
        !(Math.abs(sigma - tailSigma) <= TAIL_TOLERANCE * tailSigma)
      ) {
        tailAt.fill(Number.NaN);
        tailMu = mu;
        tailSigma = sigma;
      }
      let expectedLives = 0;
      let counted = 0;
      for (let i = 0; i < AGE_SLOTS; i++) {
        const k = dialsAt[i] as number;
        if (k === 0) continue;
        const age = o.now - (dialTimes[i] as number);
        if (age >= AGE_SLOTS) continue;
        counted += k;
        const whole = Number.isInteger(age) && age >= 0;
        let tail = whole ? (tailAt[age] as number) : Number.NaN;
        if (Number.isNaN(tail)) {
          tail = normalTail(age > 0 ? (Math.log(age) - tailMu) / tailSigma : Number.NEGATIVE_INFINITY);
          if (whole) tailAt[age] = tail;
        }
        expectedLives += k * pLive * tail;
      }
      if (counted < o.callsRinging) expectedLives += (o.callsRinging - counted) * pLive * 0.5;
      // The day's opening: every agent starts idle at once, so hold the gain at 1 for a while.
      // The day's opening (every agent idle at once) holds the gain ≤ 1; a hot half hour cuts it.
      const gain = (o.now - dayOpenedAt < openingSeconds ? Math.min(g, 1) : g) * (hot ? hotCut : 1);
      // A staffing drop the prior expects within the horizon: fewer agents will be there.
      const priorNow = staffPrior[minute] as number;
      // Looking as far ahead as a call placed now may still be answered (twice the mean delay + the threshold).
      const priorAhead = staffPrior[
        Math.floor((o.secondOfDay + 2 * meanDelay + limits.connectWithinSeconds) / 60) % 1440
      ] as number;
      // Agents the schedule takes away before a call placed now is answered: idle agents are the
      // first to leave at a shift's end (busy ones finish their call), so they come off the agents
      // expected free (before: a share of them, which still placed calls for agents about to go:
      // 90% of the answers in the minute of a 25 → 12 shift change were abandoned).
      // Counted from the staffing now: at the first second of a changed minute the prior already
      // holds the minute's (fewer) agents while the change has not happened yet (the tick comes
      // first), so the prior of this minute and the last, but never more than are here.
      const priorLast = staffPrior[(minute + 1439) % 1440] as number;
      const reference = Math.min(staying, Math.max(priorNow, Number.isNaN(priorLast) ? priorNow : priorLast));
      const leavingAhead = priorAhead < reference ? reference - priorAhead : 0;
      const freeAfter = Math.max(0, freeSoon - leavingAhead);
      const wanted = (gain * freeAfter - o.callsWaiting - expectedLives) / pLive;
      inFlightWanted = Math.max(0, o.callsRinging + o.callsWaiting + Math.min(wanted, room));
      let n = Math.max(0, Math.min(Math.floor(wanted), room));
      // Progressive's floor, but not for ready agents the schedule is about to take away (idle
      // agents are the first to leave at a shift's end: a call placed for them finds nobody).
      const floorDials = Math.max(0, progressiveDials - leavingAhead);
      n = Math.max(n, Math.min(floorDials, room));
      dialHead = (dialHead + 1) % AGE_SLOTS;
      dialsAt[dialHead] = n;
      dialTimes[dialHead] = o.now;
      const active = o.agentsReady + o.agentsTalking;
      ratio = active > 0 ? (o.callsRinging + o.callsWaiting + o.callsConnected + n) / active : 1;
      return n;
    },
    status: () => ({
      ratio,
      answerRate: pLive,
      gain: g,
      amdMachineShare: machineShare,
      answerDelayCv: ringCv,
      ...(Number.isNaN(inFlightWanted) ? {} : { inFlightWanted }),
    }),
  };
}

/** P(Z > z) for a standard normal (Abramowitz–Stegun 7.1.26 through erfc; error < 1.5e-7). */
function normalTail(z: number): number {
  if (z === Number.NEGATIVE_INFINITY) return 1;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}
