import { IdleAgents } from "../engine-parts/idle-agents.ts";

export const AGENT_OFF = 0;
export const AGENT_IDLE = 1;
export const AGENT_TALK = 2;
export const AGENT_WRAP = 3;

/** The day simulator's agents: per-agent columns, the ready stack, and how many are in each state. */
export class DayAgents {
  readonly size: number;
  readonly state: Uint8Array<ArrayBuffer>;
  /** The call each talking agent is on. */
  readonly call: Int32Array<ArrayBuffer>;
  /** When the agent's current call began (talk and wrap count from there). */
  readonly since: Float64Array<ArrayBuffer>;
  /** When the agent last became ready (for the idle-gap histogram). */
  readonly idleSince: Float64Array<ArrayBuffer>;
  readonly idle: IdleAgents;
  loggedIn = 0;
  /** Agents the staffing has sent home who are finishing a call first. */
  leaving = 0;
  talking = 0;
  wrapping = 0;

  constructor(size: number) {
    this.size = size;
    this.state = new Uint8Array(size);
    this.call = new Int32Array(size);
    this.since = new Float64Array(size);
    this.idleSince = new Float64Array(size);
    this.idle = new IdleAgents(size);
  }

  /** The day opens at `opening` with the first `present` agents logged in and ready, the rest off. */
  startDay(present: number, opening: number): void {
    this.idle.clear();
    this.leaving = 0;
    this.talking = 0;
    this.wrapping = 0;
    for (let a = 0; a < this.size; a++) {
      this.state[a] = AGENT_OFF;
      this.since[a] = opening;
      this.idleSince[a] = opening;
    }
    for (let a = 0; a < present; a++) {
      this.state[a] = AGENT_IDLE;
      this.idle.push(a);
    }
    this.loggedIn = present;
  }
}
