import { CALL_CONNECTED, CALL_WAITING } from "../engine-parts/call-table.ts";
import { eventPayload } from "../engine-parts/event-payload.ts";
import { releaseChannel } from "./dialing.ts";
import { EV_ABANDON, EV_TALK_END, EV_WRAP_END } from "./event-kinds.ts";
import type { DesRun } from "./run.ts";

/**
 * A person answered and was greeted: to their own agent (progressive), to an idle agent, or
 * into the queue until an agent frees up or their patience runs out (dropped at once when the
 * warm-line timeout is 0).
 */
export function onLiveReady(run: DesRun, slot: number, t: number): void {
  const { calls, stats, idle } = run;
  run.dialing--;
  calls.readyAt[slot] = t;
  const counted = stats.contains(t);
  if (counted) {
    stats.lives++;
    stats.countLive(t);
  }
  run.level.countLive();
  const owner = calls.owner[slot] as number;
  if (owner >= 0) connect(run, slot, owner, t);
  else if (idle.count > 0) connect(run, slot, idle.pop(), t);
  else {
    if (counted) stats.queued++;
    if (run.dropAtOnce) {
      if (counted) {
        stats.abandoned++;
        stats.overTau++;
        stats.countAbandoned(t);
      }
      run.level.countDrop();
      releaseChannel(run, slot, t);
    } else {
      calls.state[slot] = CALL_WAITING;
      run.waiting++;
      const abandonAt = t + run.patienceTime(run.random);
      calls.deadline[slot] = abandonAt;
      run.queue.push(slot, t);
      run.heap.push(abandonAt, eventPayload(EV_ABANDON, slot));
    }
  }
}

/**
 * A waiting caller's patience ran out: dropped. False when the event is stale (the caller was
 * served meanwhile, or the slot holds a later call): nothing changed.
 */
export function onAbandon(run: DesRun, slot: number, t: number): boolean {
  const { calls, stats } = run;
  if (calls.state[slot] !== CALL_WAITING || calls.deadline[slot] !== t) return false;
  run.waiting--;
  const readyAt = calls.readyAt[slot] as number;
  if (stats.contains(readyAt)) {
    stats.abandoned++;
    stats.countAbandoned(readyAt);
    // Dropped: not connected within τ (exactly τ waited, or less for impatient callers).
    stats.overTau++;
    stats.waitAllSum += t - readyAt;
  }
  run.level.countDrop();
  releaseChannel(run, slot, t);
  return true;
}

export function onTalkEnd(run: DesRun, agent: number, t: number): void {
  releaseChannel(run, run.agentCall[agent] as number, t);
  const wrap = run.wrapTime(run.random);
  if (wrap > 0) {
    run.wrapping++;
    run.heap.push(t + wrap, eventPayload(EV_WRAP_END, agent));
  } else {
    run.busyAgents--;
    agentFree(run, agent, t);
  }
}

export function onWrapEnd(run: DesRun, agent: number, t: number): void {
  run.wrapping--;
  run.busyAgents--;
  agentFree(run, agent, t);
}

function connect(run: DesRun, slot: number, agent: number, t: number): void {
  const { calls, stats } = run;
  calls.state[slot] = CALL_CONNECTED;
  run.agentCall[agent] = slot;
  run.busyAgents++;
  const readyAt = calls.readyAt[slot] as number;
  if (stats.contains(readyAt)) {
    const wait = t - readyAt;
    stats.connects++;
    stats.servedWaitSum += wait;
    stats.waitAllSum += wait;
    if (wait > run.tau) stats.overTau++;
  }
  run.heap.push(t + run.talkTime(run.random), eventPayload(EV_TALK_END, agent));
}

/** An agent free again (after wrap, or never dialled-for): serve the queue's head or go idle. */
function agentFree(run: DesRun, agent: number, t: number): void {
  const slot = run.calls.nextWaiting(run.queue);
  if (slot >= 0) {
    run.waiting--;
    connect(run, slot, agent, t);
  } else run.idle.push(agent);
}
