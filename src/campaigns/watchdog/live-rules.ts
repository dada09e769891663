import type { z } from "zod";
import { watchdogLiveRulesSchema } from "../../core/config/schema.ts";
import type { SkillLiveSnapshot } from "../../platform/ports/live.ts";

/**
 * The watchdog's live rules, pure: judge one live snapshot (platform/ports/live.ts, seconds
 * old) of the primary. They catch what the success rate cannot see in time, because success
 * rates come from dispositions of COMPLETED contacts (up to 30 minutes late on the production
 * platform):
 *
 * - `agents-logged-out`: the skill runs but no agent is logged in;
 * - `contacts-stopped`: the skill runs, its agents (when the platform reports them) are logged
 *   in, yet no contact is active;
 * - `abandon-rate`: today's abandon rate is above `maxAbandonRate` over at least `minConnects`
 *   connects.
 *
 * A figure the platform does not give (absent) never breaks a rule. Failing over takes
 * `breaches` consecutive readings that each break SOME live rule — not necessarily the same one:
 * agents logged out on one reading and no active contact on the next is two unhealthy readings in
 * a row (a moment between two calls is not a stopped campaign, but a campaign that never comes
 * back healthy is). A reading that breaks no rule resets the streak; the streak names the rule the
 * latest reading broke. The success-rate rule (decision.ts) is judged separately, on complete
 * data only.
 */
export const liveRulesSchema = watchdogLiveRulesSchema;

export type LiveRulesConfig = z.infer<typeof liveRulesSchema>;
export const LIVE_RULE_DEFAULTS: LiveRulesConfig = liveRulesSchema.parse({});

export type LiveRule = "agents-logged-out" | "contacts-stopped" | "abandon-rate";

export interface LiveBreach {
  rule: LiveRule;
  /** One line a person reads, with the figures and their age. */
  reason: string;
}

export function liveBreach(snapshot: SkillLiveSnapshot, config: LiveRulesConfig): LiveBreach | null {
  const running = snapshot.running === true;
  if (config.agentsLoggedOut && running && snapshot.agentsLoggedIn === 0) {
    return { rule: "agents-logged-out", reason: `running with 0 agents logged in (${snapshot.source})` };
  }
  if (
    config.contactsStopped &&
    running &&
    snapshot.contactsActive === 0 &&
    (snapshot.agentsLoggedIn === undefined || snapshot.agentsLoggedIn > 0)
  ) {
    return { rule: "contacts-stopped", reason: `running with 0 active contacts (${snapshot.source})` };
  }
  const today = snapshot.today;
  if (
    config.maxAbandonRate !== null &&
    today?.abandonRate !== undefined &&
    (today.connects ?? 0) >= Math.max(1, config.minConnects) &&
    today.abandonRate > config.maxAbandonRate
  ) {
    return {
      rule: "abandon-rate",
      reason: `abandon rate ${(today.abandonRate * 100).toFixed(1)}% over ${today.connects} connects today, above ${(config.maxAbandonRate * 100).toFixed(1)}% (${today.source})`,
    };
  }
  return null;
}

/**
 * The streak after one reading: how many readings in a row broke a live rule (any of them), and
 * the rule the latest one broke (null once a reading breaks none).
 */
export function liveStreak(
  previous: { rule: LiveRule | null; count: number },
  breach: LiveBreach | null,
): { rule: LiveRule | null; count: number } {
  if (!breach) return { rule: null, count: 0 };
  return { rule: breach.rule, count: previous.count + 1 };
}
