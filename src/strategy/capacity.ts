import { agentIdOf } from "../core/call-agent.ts";
import { InputError } from "../core/input-error.ts";
import { HOUR_MS } from "../core/time-units.ts";

/**
 * `--capacity auto` (issue 55 §2): how many attempts the dialer can make in an hour, from the
 * agents staffed on the campaign now and what one agent-hour has yielded lately:
 *
 *   attempts per hour = agents logged in × connects per agent-hour ÷ connects per attempt
 *
 * where, over the campaign's recent attempts (default: the last 7 days of its outcomes),
 * a connect is an attempt an agent talked on (the record names an agent), an agent-hour is one
 * agent with at least one connect in one clock hour (UTC), and connects per attempt is connects
 * ÷ attempts. Rounded down: the plan must never ask for more than the dialer can dial.
 * Pure: the caller reads the live figures and the outcomes (src/sdk/strategy.ts).
 */
export const AUTO_CAPACITY_DAYS = 7;

export interface CapacityAttempt {
  startTime: string;
  /** The agent who talked on it; absent, null or "" when nobody did. */
  agentId?: string | null | undefined;
}

export interface AutoCapacity {
  capacityPerHour: number;
  agentsLoggedIn: number;
  connectsPerAgentHour: number;
  connectRate: number;
  attempts: number;
  connects: number;
  agentHours: number;
  /** The window the outcomes were read from (ISO). */
  from: string;
  to: string;
}

/** Counts the attempts (streamed; only the agent-hour keys are kept). */
export async function countCapacityAttempts(
  attempts: AsyncIterable<CapacityAttempt> | Iterable<CapacityAttempt>,
): Promise<{ attempts: number; connects: number; agentHours: number }> {
  let total = 0;
  let connects = 0;
  const agentHours = new Set<string>();
  for await (const attempt of attempts) {
    total++;
    // An agent on it, by the one rule (CXone's agent 0 is none): a connect, in that agent's hour.
    const agent = agentIdOf(attempt.agentId);
    if (agent === undefined) continue;
    const at = Date.parse(attempt.startTime);
    if (Number.isNaN(at)) continue;
    connects++;
    agentHours.add(`${agent}\u0000${Math.floor(at / HOUR_MS)}`);
  }
  return { attempts: total, connects, agentHours: agentHours.size };
}

const giveANumber = "give a number of attempts per hour instead (e.g. `capacityPerHour` 400)";

/** The formula above; an InputError naming `capacity` when a figure it needs is missing. */
export function autoCapacity(input: {
  agentsLoggedIn: number | undefined;
  attempts: number;
  connects: number;
  agentHours: number;
  from: string;
  to: string;
}): AutoCapacity {
  const { agentsLoggedIn, attempts, connects, agentHours } = input;
  if (agentsLoggedIn === undefined)
    throw new InputError({
      field: "capacity",
      rule: `auto needs the agents logged in to the campaign, which the platform did not give: ${giveANumber}`,
    });
  if (agentsLoggedIn <= 0)
    throw new InputError({
      field: "capacity",
      rule: `auto found no agent logged in to the campaign now: ${giveANumber}`,
    });
  if (attempts === 0 || connects === 0 || agentHours === 0)
    throw new InputError({
      field: "capacity",
      rule: `auto found ${attempts === 0 ? "no attempts" : "no connects"} in the campaign's outcomes from ${input.from} to ${input.to}: ${giveANumber}`,
    });
  const connectsPerAgentHour = connects / agentHours;
  const connectRate = connects / attempts;
  const capacityPerHour = Math.max(1, Math.floor((agentsLoggedIn * connectsPerAgentHour) / connectRate));
  return {
    capacityPerHour,
    agentsLoggedIn,
    connectsPerAgentHour,
    connectRate,
    attempts,
    connects,
    agentHours,
    from: input.from,
    to: input.to,
  };
}
