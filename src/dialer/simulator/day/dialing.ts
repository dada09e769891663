import { CALL_DIALING } from "../engine-parts/call-table.ts";
import { eventPayload } from "../engine-parts/event-payload.ts";
import { liveReady } from "./answering.ts";
import { MACHINE_AS_LIVE, NO_PERSON, PERSON, PERSON_AS_MACHINE } from "./calls.ts";
import { EV_LIVE, EV_RINGOUT, EV_SCREENED } from "./event-kinds.ts";
import { countIn } from "./result.ts";
import type { DayRun } from "./run.ts";

/**
 * Places a call at `t`: answered with probability `answerChance` (the answer-rate curve at `t` ×
 * the day's noise: the caller computes it once for all of a tick's dials) after a lognormal
 * ring, else rings out. An answer is a machine (screened, unless passed on as live), a person
 * the detector hangs up on, or a person let through after the detector's hold.
 */
export function dial(run: DayRun, t: number, answerChance: number): void {
  const { calls, scenario, heap } = run;
  const random = run.streams.dial;
  const slot = calls.take();
  calls.state[slot] = CALL_DIALING;
  run.ringing++;
  countIn(run.result.dials, run.day);
  run.counts.dials++;
  // A fixed number of uniforms per dial (common random numbers), in a fixed order: the answer's,
  // the ring's, the machine's, the pass's, the detector hold's, the hang-up's. Most dials are
  // not answered: their other uniforms are stepped over (the stream moves on as if drawn).
  const u = random.uniform();
  if (!(u < answerChance)) {
    random.skip(run.unansweredSkip);
    calls.party[slot] = NO_PERSON;
    heap.push(t + scenario.unansweredSeconds, eventPayload(EV_RINGOUT, slot));
    return;
  }
  const ringSampler = run.ring;
  const holdSampler = run.hold;
  const ringN = ringSampler.uniforms;
  const holdN = holdSampler ? holdSampler.uniforms : 0;
  const ringU1 = ringN > 0 ? random.uniform() : 0;
  const ringU2 = ringN > 1 ? random.uniform() : 0;
  const uMachine = random.uniform();
  const uPass = random.uniform();
  const holdU1 = holdN > 0 ? random.uniform() : 0;
  const holdU2 = holdN > 1 ? random.uniform() : 0;
  const uHung = random.uniform();
  const ring = ringSampler.from(ringU1, ringU2);
  calls.answeredAt[slot] = t + ring;
  calls.ringSeconds[slot] = ring;
  if (uMachine < scenario.machineShare) {
    calls.party[slot] = uPass < scenario.falsePositive ? MACHINE_AS_LIVE : NO_PERSON;
    heap.push(t + ring + scenario.detectSeconds, eventPayload(EV_SCREENED, slot));
  } else if (uHung < scenario.liveHungUp) {
    // A person the detector takes for a machine: hung up on when a machine would be.
    calls.party[slot] = PERSON_AS_MACHINE;
    heap.push(t + ring + scenario.detectSeconds, eventPayload(EV_SCREENED, slot));
  } else {
    calls.party[slot] = PERSON;
    const hold = holdSampler ? holdSampler.from(holdU1, holdU2) : 0;
    heap.push(t + ring + hold, eventPayload(EV_LIVE, slot));
  }
}

/** The detector's verdict: a machine passed on as live goes to an agent; the rest are hung up. */
export function onScreened(run: DayRun, slot: number, t: number): void {
  const { calls, counts, result } = run;
  const party = calls.party[slot];
  if (party === MACHINE_AS_LIVE) {
    liveReady(run, slot, t);
    return;
  }
  run.ringing--;
  counts.machines++;
  counts.answerSeconds += calls.ringSeconds[slot] as number;
  const ledger = result.ledger;
  if (ledger) {
    const m = run.minuteOf(t);
    countIn(ledger.machines, m);
    if (party === PERSON_AS_MACHINE) countIn(ledger.hidden, m);
  }
  if (party === PERSON_AS_MACHINE) {
    countIn(result.lives, run.day);
    countIn(result.abandons, run.day);
    const m = run.minuteOf(t);
    countIn(result.minuteLives, m);
    countIn(result.minuteAbandons, m);
  }
  calls.release(slot);
}

export function onRingOut(run: DayRun, slot: number): void {
  run.ringing--;
  run.counts.unanswered++;
  run.calls.release(slot);
}
