import { presentAt } from "../../pacing/scenario.ts";
import { AGENT_OFF } from "./agents.ts";
import { agentFree } from "./answering.ts";
import type { DayRun } from "./run.ts";

/**
 * The staffing changes at `t` (windows, login ramp, breaks): idle agents log off at once, busy
 * ones finish their call first (counted as leaving); agents coming back cancel leavings first,
 * then agents off log in, ready for the queue.
 */
export function onStaffingChange(run: DayRun, _: number, t: number): void {
  const agents = run.agents;
  const want = Math.round(presentAt(run.scenario, t) * agents.size);
  let have = agents.loggedIn - agents.leaving;
  if (want < have) {
    while (have > want && agents.idle.count > 0) {
      const agent = agents.idle.pop();
      agents.state[agent] = AGENT_OFF;
      agents.loggedIn--;
      have--;
    }
    agents.leaving += have - want;
  } else if (want > have) {
    const back = Math.min(agents.leaving, want - have);
    agents.leaving -= back;
    have += back;
    for (let a = 0; a < agents.size && have < want; a++) {
      if (agents.state[a] !== AGENT_OFF) continue;
      agents.loggedIn++;
      have++;
      agentFree(run, a, t);
    }
  }
}
