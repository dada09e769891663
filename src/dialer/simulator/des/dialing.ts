import { CALL_DIALING } from "../engine-parts/call-table.ts";
import { eventPayload } from "../engine-parts/event-payload.ts";
import { EV_LIVE_READY, EV_NONLIVE_END, EV_OPEN_DIAL, EV_PACE } from "./event-kinds.ts";
import type { DesRun } from "./run.ts";

/** Places a call at `t` (for agent `owner`, or −1 for any agent) and schedules how it ends. */
export function dial(run: DesRun, t: number, owner: number): void {
  const { calls, stats, heap, random } = run;
  const slot = calls.take();
  run.channels++;
  run.dialing++;
  calls.state[slot] = CALL_DIALING;
  calls.owner[slot] = owner;
  calls.dialAt[slot] = t;
  run.lastDialAt = t;
  const counted = stats.contains(t);
  if (counted) {
    stats.dials++;
    if (run.channels > stats.peakChannels) stats.peakChannels = run.channels;
  }
  const u = random.uniform();
  if (u < run.liveCut) {
    heap.push(t + run.ringTime(random) + run.greetingSeconds, eventPayload(EV_LIVE_READY, slot));
  } else if (u < run.machineCut) {
    if (counted) stats.machines++;
    heap.push(t + run.ringTime(random) + run.greetingSeconds, eventPayload(EV_NONLIVE_END, slot));
  } else if (u < run.noAnswerCut) {
    if (counted) stats.noAnswers++;
    heap.push(t + run.noAnswerSeconds, eventPayload(EV_NONLIVE_END, slot));
  } else {
    if (counted) stats.busies++;
    heap.push(t + run.busySeconds, eventPayload(EV_NONLIVE_END, slot));
  }
}

/** Open loop: a Poisson stream of dials, blocked (and counted) when every channel is taken. */
export function onOpenDial(run: DesRun, _: number, t: number): void {
  if (run.channels < run.channelLimit) dial(run, t, -1);
  else if (run.stats.contains(t)) run.stats.blocked++;
  run.heap.push(t + run.random.exponential(run.openDialGap), EV_OPEN_DIAL);
}

/** A machine, no answer or busy: the channel is free, and a progressive dial's agent ready again. */
export function onNonLiveEnd(run: DesRun, slot: number, t: number): void {
  const owner = run.calls.owner[slot] as number;
  run.dialing--;
  releaseChannel(run, slot, t);
  if (owner >= 0) run.idle.push(owner);
}

/** The call in `slot` hangs up at `t`: its channel and slot are free. */
export function releaseChannel(run: DesRun, slot: number, t: number): void {
  const { calls, stats } = run;
  run.channels--;
  if (stats.contains(t)) {
    stats.holdingSum += t - (calls.dialAt[slot] as number);
    stats.holdingCount++;
  }
  calls.release(slot);
}

/** After any event (paced modes): dial what the policy asks for now, or when the spacing allows. */
export function pace(run: DesRun, t: number): void {
  if (run.spacing > 0 && t < run.lastDialAt + run.spacing) {
    schedulePace(run, run.lastDialAt + run.spacing);
    return;
  }
  if (run.progressive) paceProgressive(run, t);
  else pacePredictive(run, t);
}

/** Progressive: each idle agent dials a call of their own (one per spacing gap, if any). */
function paceProgressive(run: DesRun, t: number): void {
  const { idle, spacing } = run;
  while (idle.count > 0) {
    if (run.channels >= run.channelLimit) return;
    const agent = idle.pop();
    dial(run, t, agent);
    if (spacing > 0) {
      if (idle.count > 0) schedulePace(run, t + spacing);
      return;
    }
  }
}

/** Predictive and adaptive: keep level × (idle + wrapping agents) − waiting calls dials in flight. */
function pacePredictive(run: DesRun, t: number): void {
  const spacing = run.spacing;
  const target = Math.round(run.level.value * (run.idle.count + run.wrapping)) - run.waiting;
  while (run.dialing < target) {
    if (run.channels >= run.channelLimit) return;
    dial(run, t, -1);
    if (spacing > 0) {
      if (run.dialing < target) schedulePace(run, t + spacing);
      return;
    }
  }
}

function schedulePace(run: DesRun, at: number): void {
  if (!run.pacePending) {
    run.pacePending = true;
    run.heap.push(at, EV_PACE);
  }
}
