import { CALL_CONNECTED, CALL_WAITING } from "../engine-parts/call-table.ts";
import { eventPayload } from "../engine-parts/event-payload.ts";
import { AGENT_IDLE, AGENT_OFF, AGENT_TALK, AGENT_WRAP } from "./agents.ts";
import { MACHINE_AS_LIVE, PERSON } from "./calls.ts";
import { EV_DEADLINE, EV_TALK_END, EV_WRAP_END } from "./event-kinds.ts";
import { countIn, recordGap } from "./result.ts";
import type { DayRun } from "./run.ts";

/** An agent who hears a machine passed on as live marks it and moves on. */
const MACHINE_HANDLE_SECONDS = 5;

/**
 * A call the dialer classified as live is ready for an agent. A person's connect clock
 * started at the greeting (the detector's hold counts in it); a machine passed on as live
 * is given the threshold from now.
 */
export function liveReady(run: DayRun, slot: number, t: number): void {
  const { calls, counts } = run;
  run.ringing--;
  calls.readyAt[slot] = t;
  counts.liveAnswers++;
  counts.answerSeconds += calls.ringSeconds[slot] as number;
  const human = calls.party[slot] === PERSON;
  const clock = human ? (calls.answeredAt[slot] as number) : t;
  let deadline = clock + run.connectWithin;
  if (human) {
    countIn(run.result.lives, run.day);
    const m = run.minuteOf(t);
    countIn(run.result.minuteLives, m);
    if (run.patience) {
      const patience = clock + run.patience.draw(run.streams.patience);
      if (patience < deadline) deadline = patience;
    }
    if (deadline <= t) {
      // Hung up during the detector's hold, before the threshold: abandoned only on the strict reading.
      if (deadline < clock + run.connectWithin && !run.countHangUpsBeforeThreshold) {
        calls.release(slot);
        return;
      }
      // Held past the threshold by the detector (or hung up meanwhile): the dialer's message.
      counts.abandons++;
      countIn(run.result.abandons, run.day);
      countIn(run.result.minuteAbandons, m);
      calls.release(slot);
      return;
    }
  }
  const idle = run.agents.idle;
  if (idle.count > 0) {
    connect(run, slot, idle.pop(), t);
    return;
  }
  calls.state[slot] = CALL_WAITING;
  run.waiting++;
  run.queue.push(slot, t);
  calls.deadline[slot] = deadline;
  run.heap.push(deadline, eventPayload(EV_DEADLINE, slot));
}

/** A waiting call's deadline: abandoned, unless served meanwhile or the slot holds a later call (stale). */
export function onDeadline(run: DayRun, slot: number, t: number): void {
  const calls = run.calls;
  if (calls.state[slot] !== CALL_WAITING || calls.deadline[slot] !== t) return;
  run.waiting--;
  const person = calls.party[slot] === PERSON;
  // The caller's patience ran out before the threshold: abandoned only on the strict reading.
  if (
    person &&
    !run.countHangUpsBeforeThreshold &&
    t < (calls.answeredAt[slot] as number) + run.connectWithin
  ) {
    calls.release(slot);
    return;
  }
  run.counts.abandons++;
  if (person) {
    countIn(run.result.abandons, run.day);
    countIn(run.result.minuteAbandons, run.minuteOf(calls.readyAt[slot] as number));
  }
  calls.release(slot);
}

/** The agent hangs up: wrap after a person, none after a machine. */
export function onTalkEnd(run: DayRun, agent: number, t: number): void {
  const { agents, calls, counts } = run;
  const slot = agents.call[agent] as number;
  const human = calls.party[slot] === PERSON;
  if (calls.party[slot] === MACHINE_AS_LIVE) counts.agentMachines = (counts.agentMachines ?? 0) + 1;
  run.connected--;
  calls.release(slot);
  agents.talking--;
  const wrap = human ? run.wrap.draw(run.streams.wrap) * run.streams.handleFactor : 0;
  if (wrap > 0) {
    agents.state[agent] = AGENT_WRAP;
    agents.wrapping++;
    run.heap.push(t + wrap, eventPayload(EV_WRAP_END, agent));
  } else {
    counts.handled++;
    counts.handleSeconds += t - (agents.since[agent] as number);
    agentFree(run, agent, t);
  }
}

export function onWrapEnd(run: DayRun, agent: number, t: number): void {
  run.agents.wrapping--;
  run.counts.handled++;
  run.counts.handleSeconds += t - (run.agents.since[agent] as number);
  agentFree(run, agent, t);
}

/** An agent free again: leave if the staffing says so, else serve the queue's head or go idle. */
export function agentFree(run: DayRun, agent: number, t: number): void {
  const agents = run.agents;
  if (agents.leaving > 0) {
    agents.leaving--;
    agents.loggedIn--;
    agents.state[agent] = AGENT_OFF;
    return;
  }
  const slot = run.calls.nextWaiting(run.queue);
  if (slot >= 0) {
    run.waiting--;
    agents.idleSince[agent] = t;
    connect(run, slot, agent, t);
    return;
  }
  agents.state[agent] = AGENT_IDLE;
  agents.idleSince[agent] = t;
  agents.idle.push(agent);
}

function connect(run: DayRun, slot: number, agent: number, t: number): void {
  const { agents, calls } = run;
  calls.state[slot] = CALL_CONNECTED;
  run.connected++;
  agents.state[agent] = AGENT_TALK;
  agents.call[agent] = slot;
  agents.since[agent] = t;
  agents.talking++;
  run.counts.connects++;
  recordGap(run.result, t - (agents.idleSince[agent] as number));
  let talk: number;
  if (calls.party[slot] === PERSON) {
    countIn(run.result.connects, run.day);
    talk = run.talk.draw(run.streams.talk) * run.streams.handleFactor;
    const talkSeconds = run.result.talkSeconds;
    talkSeconds[run.day] = (talkSeconds[run.day] as number) + talk;
  } else talk = MACHINE_HANDLE_SECONDS;
  run.heap.push(t + talk, eventPayload(EV_TALK_END, agent));
}
