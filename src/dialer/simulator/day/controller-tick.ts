import { answerRateAt } from "../../pacing/scenario.ts";
import { lineHeadroom, ZERO_COUNTS } from "../../pacing/types.ts";
import { AGENT_IDLE, AGENT_OFF, AGENT_TALK, AGENT_WRAP } from "./agents.ts";
import { dial } from "./dialing.ts";
import { EV_TICK } from "./event-kinds.ts";
import { SERIES_SECONDS } from "./result.ts";
import type { DayRun } from "./run.ts";

/**
 * Every tick the controller is given what a dialer sees (counts since the last tick, agent
 * states, calls in progress) and answers how many calls to place, capped at the lines the
 * limits leave; those are dialed now.
 */
export function onTick(run: DayRun, _: number, t: number): void {
  const { controller, counts } = run;
  observe(run, t);
  let n = controller.tick(run.obs);
  const room = lineHeadroom(run.obs, run.limits);
  if (n > room) n = room;
  Object.assign(counts, ZERO_COUNTS);
  // Dialled after the reset: the next tick's counts include this tick's dials.
  if (n > 0) {
    const answerChance = answerRateAt(run.scenario, t) * run.streams.answerFactor;
    for (let i = 0; i < n; i++) dial(run, t, answerChance);
  }
  const series = run.series;
  if (series) {
    const since = t - run.startSecond;
    if (since % SERIES_SECONDS < run.tick) {
      const b = Math.floor(since / SERIES_SECONDS);
      series.ratio[b] = controller.status().ratio;
      series.answerRate[b] =
        Math.min(1, answerRateAt(run.scenario, t) * run.streams.answerFactor) *
        (1 - run.scenario.machineShare);
    }
  }
  if (t + run.tick < run.endSecond) run.heap.push(t + run.tick, EV_TICK);
}

// observe() tells busy agents by their state's high bit.
if (AGENT_OFF >>> 1 !== 0 || AGENT_IDLE >>> 1 !== 0 || AGENT_TALK >>> 1 !== 1 || AGENT_WRAP >>> 1 !== 1)
  throw new Error("agent states: talk and wrap must be 2 and 3, off and idle 0 and 1");

function observe(run: DayRun, t: number): void {
  const { obs, agents } = run;
  obs.now = run.dayEpoch + t;
  obs.secondOfDay = t;
  obs.elapsed = t - run.lastTick;
  run.lastTick = t;
  obs.day = run.calendarDay;
  obs.agentsLoggedIn = agents.loggedIn;
  obs.agentsReady = agents.idle.count;
  obs.agentsTalking = agents.talking;
  obs.agentsWrapping = agents.wrapping;
  obs.agentsLeaving = agents.leaving;
  obs.callsRinging = run.ringing;
  obs.callsWaiting = run.waiting;
  obs.callsConnected = run.connected;
  if (run.wantsElapsed) {
    const { state, since, size } = agents;
    const busyElapsed = run.busyElapsed;
    let k = 0;
    // Without a branch per agent (busy or not is a coin flip to the CPU): every agent's elapsed
    // is written at k, and k moves on past the busy ones only (talk 2, wrap 3: s >>> 1 is 1;
    // off 0, idle 1: 0), so the first talking + wrapping entries are the busy agents' in order,
    // as before; the entries past them are not part of the observation.
    for (let a = 0; a < size; a++) {
      busyElapsed[k] = t - (since[a] as number);
      k += (state[a] as number) >>> 1;
    }
  }
}
